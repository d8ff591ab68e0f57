// Drives the generated JavaScript SDK against the pet store's prod stage:
// calls every operation through PetstoreClient, checks each answer and
// prints "ok NAME" for it, then "ok error" once getPet(99) has rejected
// with a PetstoreError. tsc type-checks this file (strict) against the
// SDK's declarations, then node runs it; any failed check exits non-zero.
//
// The environment: GATEKIT_BASE_URL (the endpoint and the stage),
// GATEKIT_API_KEY, GATEKIT_TOKEN, GATEKIT_ACCESS_KEY, GATEKIT_SECRET_KEY,
// GATEKIT_REGION.
import { PetstoreClient, PetstoreError, type JsonValue, type Pet } from "petstore";

function env(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
}

function check(ok: boolean, what: string, got?: unknown): asserts ok {
  if (!ok) {
    throw new Error(`${what}: got ${JSON.stringify(got)}`);
  }
}

/** Returns the property key of a JSON object, or undefined. */
function prop(value: JsonValue, key: string): JsonValue | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? value[key]
    : undefined;
}

/** Returns the error promise rejects with, or fails if it resolves. */
async function rejection(promise: Promise<unknown>, what: string): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error(`${what}: succeeded`);
}

function isFido(pet: Pet | undefined): boolean {
  return pet?.id === 1 && pet.name === "Fido" && pet.type === "dog";
}

// Split the base URL into the endpoint and the stage, to set both.
const [, endpoint, stage] = /^(.*)\/([^/]+)$/.exec(env("GATEKIT_BASE_URL")) ?? [];
check(
  endpoint !== undefined && stage === "prod",
  "GATEKIT_BASE_URL ends with /prod",
  env("GATEKIT_BASE_URL"),
);
const credentials = {
  accessKeyId: env("GATEKIT_ACCESS_KEY"),
  secretAccessKey: env("GATEKIT_SECRET_KEY"),
};
const client = new PetstoreClient({
  endpoint,
  stage,
  apiKey: env("GATEKIT_API_KEY"),
  bearerToken: async () => env("GATEKIT_TOKEN"),
  credentials,
  region: env("GATEKIT_REGION"),
});
// Without the key, the token and the right secret.
const anonymous = new PetstoreClient({
  endpoint,
  stage,
  credentials: { ...credentials, secretAccessKey: "wrong" },
  region: env("GATEKIT_REGION"),
});

const pets = await client.listPets();
check(pets.some(isFido), "listPets has Fido the dog", pets);
console.log("ok listPets");

const fido = await client.getPet(1);
check(isFido(fido), "getPet(1) is Fido the dog", fido);
console.log("ok getPet");

const search = await client.searchPets({ type: "dog", page: 1 });
check(search.type === "dog", "searchPets type", search);
check(search.pets !== undefined && search.pets.length > 0, "searchPets found dogs", search);
check(
  search.pets.every((p) => p.type === "dog"),
  "searchPets found only dogs",
  search,
);
check(
  !Number.isNaN(Date.parse(search.searchedAt ?? "")),
  "searchPets searchedAt is a date-time",
  search,
);
console.log("ok searchPets");

const rex = await client.createPet({ name: "Rex", type: "dog" });
check(
  typeof rex.id === "number" && rex.id > 2 && rex.name === "Rex" && rex.type === "dog",
  "createPet",
  rex,
);
const again = await client.getPet(rex.id);
check(again.name === "Rex", "getPet of the created pet", again);
console.log("ok createPet");

// A space in a path parameter travels escaped and arrives as it was.
const owner = await client.getOwner("Ann Lee");
check(prop(owner, "owner") === "Ann Lee", "getOwner", owner);
console.log("ok getOwner");

const stock = await client.inventory("get", "stock/kibble");
check(prop(stock, "item") === "kibble" && prop(stock, "env") === "prod", "inventory", stock);
console.log("ok inventory");

const partner = await client.listPartnerPets();
check(partner.some(isFido), "listPartnerPets has Fido the dog", partner);
const noKey = await rejection(anonymous.listPartnerPets(), "listPartnerPets without the API key");
check(
  noKey instanceof PetstoreError && noKey.status >= 400 && noKey.status < 500,
  "listPartnerPets without the API key",
  noKey,
);
console.log("ok listPartnerPets");

const signed = await client.createSignedPet({ name: "Sig", type: "cat" });
check(signed.name === "Sig" && signed.type === "cat" && signed.id > 2, "createSignedPet", signed);
const badSignature = await rejection(
  anonymous.createSignedPet({ name: "Nope" }),
  "createSignedPet with a wrong secret",
);
check(
  badSignature instanceof PetstoreError && badSignature.status === 403,
  "createSignedPet with a wrong secret",
  badSignature,
);
console.log("ok createSignedPet");

const stats = await client.getStats();
check(typeof prop(stats, "pets") === "number", "getStats counts pets", stats);
const noToken = await rejection(anonymous.getStats(), "getStats without the token");
check(
  noToken instanceof PetstoreError && noToken.status === 401,
  "getStats without the token",
  noToken,
);
console.log("ok getStats");

const health = await client.health();
check(health === "ok\n", "health", health);
console.log("ok health");

const version = await client.getVersion({ xClientVersion: "driver/1.0" });
check(
  version.stage === "prod" && typeof version.version === "string" && version.canary === false,
  "getVersion",
  version,
);
console.log("ok getVersion");

const err = await rejection(client.getPet(99), "getPet(99)");
check(err instanceof PetstoreError, "getPet(99) rejects with a PetstoreError", err);
check(err instanceof Error && err.name === "PetstoreError", "PetstoreError is an Error", err);
check(err.status === 404 && err.message === "no such pet", "getPet(99) is 404 no such pet", {
  status: err.status,
  message: err.message,
});
check(JSON.parse(err.body).message === "no such pet", "the error's body", err.body);
console.log("ok error");
