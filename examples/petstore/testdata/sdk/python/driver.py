"""Calls every operation of the pet store's prod stage through the
generated Python SDK and checks the answers: it prints "ok NAME" for each
operation, and exits non-zero on the first check that fails."""

import os
import sys

from petstore import ApiError, Credentials, NewPet, PetstoreClient


def check(ok: bool, what: str) -> None:
    if not ok:
        sys.exit("FAIL " + what)


def main() -> None:
    env = os.environ
    endpoint, _, stage = env["GATEKIT_BASE_URL"].rpartition("/")
    client = PetstoreClient(
        endpoint,
        stage,
        api_key=env["GATEKIT_API_KEY"],
        bearer_token=env["GATEKIT_TOKEN"],
        credentials=Credentials(env["GATEKIT_ACCESS_KEY"], env["GATEKIT_SECRET_KEY"]),
        region=env["GATEKIT_REGION"],
    )

    pets = client.list_pets()
    check(any(p.id == 1 and p.name == "Fido" and p.type == "dog" for p in pets), f"listPets: {pets}")
    print("ok listPets")

    pet = client.get_pet(1)
    check((pet.id, pet.name, pet.type) == (1, "Fido", "dog"), f"getPet: {pet}")
    print("ok getPet")

    found = client.search_pets(type="dog")
    check(found.type == "dog" and bool(found.pets), f"searchPets: {found}")
    check(all(p.type == "dog" for p in found.pets or []), f"searchPets: {found}")
    check(bool(found.searched_at), f"searchPets: no searchedAt: {found}")
    print("ok searchPets")

    created = client.create_pet(NewPet(name="Monty", type="snake"))
    check(created.id > 2 and (created.name, created.type) == ("Monty", "snake"), f"createPet: {created}")
    check(client.get_pet(created.id) == created, "createPet: the new pet is not there")
    print("ok createPet")

    owner = client.get_owner("ann lee/2")
    check(owner["owner"] == "ann lee/2", f"getOwner: {owner}")
    print("ok getOwner")

    stock = client.inventory("GET", "stock/kibble")
    check(stock["item"] == "kibble" and stock["env"] == "prod", f"inventory: {stock}")
    print("ok inventory")

    partner = client.list_partner_pets()
    check(any(p.id == 1 and p.name == "Fido" for p in partner), f"listPartnerPets: {partner}")
    try:
        PetstoreClient(endpoint, stage).list_partner_pets()
        check(False, "listPartnerPets without an API key succeeded")
    except ApiError as err:
        check(err.status in (401, 403), f"listPartnerPets without an API key: {err}")
    print("ok listPartnerPets")

    signed = client.create_signed_pet(NewPet(name="Sig", type="cat"))
    check(signed.id > 2 and signed.name == "Sig", f"createSignedPet: {signed}")
    print("ok createSignedPet")

    stats = client.get_stats()
    check(isinstance(stats["pets"], (int, float)) and stats["pets"] >= 3, f"getStats: {stats}")
    print("ok getStats")

    health = client.health()
    check(health == "ok\n", f"health: {health!r}")
    print("ok health")

    version = client.get_version(x_client_version="python-test")
    check(version.stage == "prod" and isinstance(version.canary, bool), f"getVersion: {version}")
    print("ok getVersion")

    try:
        client.get_pet(99)
        check(False, "getPet(99) succeeded")
    except ApiError as err:
        check(err.status == 404 and err.message == "no such pet", f"getPet(99): {err}")
        check(b"no such pet" in err.body, f"getPet(99): body {err.body!r}")
    print("ok error")


if __name__ == "__main__":
    main()
