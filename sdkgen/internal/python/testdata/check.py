"""Checks the SDK generated from the unit tests' API (the petstore package
on PYTHONPATH): SigV4 signatures against the AWS test suite in the
directory argv[1] (if it exists), models, errors, and the requests the
client sends, against a local server. Prints "ok ..." for each check."""

import json
import os
import sys
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from petstore import ApiError, Credentials, NewPet, Owner, Pet, PetstoreClient, SearchResult
from petstore.sigv4 import sign


def sigv4_suite(root: str) -> None:
    """Signs each request of the suite that signs only what sign() signs."""
    credentials = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    now = datetime(2015, 8, 30, 12, 36, tzinfo=timezone.utc)
    checked = 0
    for dirpath, _, files in sorted(os.walk(root)):
        name = os.path.basename(dirpath)
        if name + ".req" not in files:
            continue
        with open(os.path.join(dirpath, name + ".req"), "rb") as f:
            raw = f.read().decode("utf-8")
        with open(os.path.join(dirpath, name + ".authz"), "rb") as f:
            want = f.read().decode("utf-8")
        head, _, body = raw.partition("\n\n")
        line, *header_lines = head.split("\n")
        method, rest = line.split(" ", 1)
        target = rest.rsplit(" HTTP/", 1)[0]
        headers = dict(h.split(":", 1) for h in header_lines if ":" in h)
        token = headers.get("X-Amz-Security-Token")
        signed = "host;x-amz-date" + (";x-amz-security-token" if token else "")
        if "SignedHeaders=" + signed + "," not in want or set(headers) - {
            "Host",
            "X-Amz-Date",
            "X-Amz-Security-Token",
        }:
            continue  # signs headers sign() does not
        creds = Credentials(credentials.access_key_id, credentials.secret_access_key, token)
        url = "https://" + headers["Host"] + target
        got = sign(method, url, body.encode("utf-8"), creds, "us-east-1", "service", now)
        if got["Authorization"] != want:
            sys.exit(f"FAIL sigv4 {name}:\n got {got['Authorization']}\nwant {want}")
        checked += 1
    if checked < 15:
        sys.exit(f"FAIL sigv4: only {checked} cases checked")
    print(f"ok sigv4 {checked}")


def models() -> None:
    data = {"id": 1, "name": "Fido", "type": "dog", "owner": {"name": "Ann", "from": "Oslo"}}
    pet = Pet.from_dict(data)
    assert pet == Pet(1, "Fido", "dog", Owner("Ann", from_="Oslo")), pet
    assert pet.to_dict() == data, pet.to_dict()
    assert NewPet("Rex").to_dict() == {"name": "Rex"}
    found = SearchResult.from_dict({"pets": [data], "searchedAt": "2024-01-01T00:00:00Z"})
    assert found.pets == [pet] and found.type is None, found
    assert found.to_dict() == {"pets": [data], "searchedAt": "2024-01-01T00:00:00Z"}
    print("ok models")


def errors() -> None:
    err = ApiError(404, b'{"message": "no such pet"}')
    assert (err.status, err.message, str(err)) == (404, "no such pet", "HTTP 404: no such pet")
    for body in (b"", b"oops", b"[1]", b'{"message": 1}', b"\xff"):
        err = ApiError(500, body)
        assert err.message is None and err.body == body and str(err) == "HTTP 500", body
    print("ok errors")


class Handler(BaseHTTPRequestHandler):
    """Answers each request with a JSON description of it."""

    def do_any(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8")
        if self.path.startswith("/prod/pets/"):
            status, answer = 404, {"message": "no such pet"}
        elif self.path == "/signed/pets":
            auth, token = self.headers["Authorization"], self.headers["X-Amz-Security-Token"]
            status, answer = 201, {"id": 7, "name": auth, "type": token}
        elif self.path.startswith("/prod/find/"):
            status, answer = 200, {"seen": [{"id": 1, "name": self.path, "type": self.command}]}
        else:
            status, answer = 200, {
                "method": self.command,
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body,
            }
        out = json.dumps(answer).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_GET = do_POST = do_PUT = do_DELETE = do_any

    def log_message(self, format: str, *args: object) -> None:
        pass


def requests() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{server.server_port}/"
    client = PetstoreClient(
        endpoint,
        "prod",
        api_key="key",
        bearer_token="token",
        credentials=Credentials("AKID", "secret", "session"),
    )

    seen = client.find_pets("a b/c", 2, tag=["x", "y&z"])
    assert seen == {"seen": [Pet(1, "/prod/find/a%20b%2Fc?limit=2&tag=x&tag=y%26z", "GET")]}, seen

    echo = client.inventory("PUT", "a b/c.txt", body={"n": 1})
    assert echo["method"] == "PUT" and echo["path"] == "/prod/inventory/a%20b/c.txt", echo
    assert json.loads(echo["body"]) == {"n": 1}, echo
    assert echo["headers"]["x-api-key"] == "key" and "authorization" not in echo["headers"], echo

    try:
        client.get_pet(99)
        sys.exit("FAIL get_pet(99) did not raise")
    except ApiError as err:
        assert err.status == 404 and err.message == "no such pet", err

    echo = client.reset()
    assert echo is None

    client = PetstoreClient(endpoint, "", bearer_token="token", credentials=Credentials("AKID", "secret", "session"))
    echo = client.get_stats()
    assert echo["path"] == "/admin/stats", echo
    assert echo["headers"]["authorization"] == "Bearer token" and "x-api-key" not in echo["headers"], echo
    pet = client.create_signed_pet(NewPet("Sig"))
    assert pet.name.startswith("AWS4-HMAC-SHA256 Credential=AKID/") and pet.type == "session", pet
    server.shutdown()
    print("ok requests")


def signed_request() -> None:
    """The headers sign() returns are what a request signed with them sends."""
    creds = Credentials("AKID", "secret", "session")
    got = sign("POST", "http://h:1/prod/a%20b?b=2&a=1", b"{}", creds, "r", "s")
    assert set(got) == {"Host", "X-Amz-Date", "X-Amz-Security-Token", "Authorization"}, got
    assert got["Host"] == "h:1" and got["X-Amz-Security-Token"] == "session", got
    assert "SignedHeaders=host;x-amz-date;x-amz-security-token," in got["Authorization"], got
    assert "secret" not in repr(creds)
    print("ok signed request")


if __name__ == "__main__":
    if os.path.isdir(sys.argv[1]):
        sigv4_suite(sys.argv[1])
    models()
    errors()
    requests()
    signed_request()
