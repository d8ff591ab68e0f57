// Checks the requests a generated client sends and how it reads the
// answers, with a fake fetch. TestClient generates the SDK of its test API
// beside this file and runs it with node; it exits non-zero on the first
// failed check.
import { PetstoreClient, PetstoreError } from "./index.js";

const sent = [];
let answer;
async function fakeFetch(url, init) {
  sent.push({
    url: String(url),
    method: init.method,
    headers: Object.fromEntries(init.headers),
    body: init.body,
  });
  return answer();
}
function answerJSON(status, value) {
  answer = () =>
    new Response(JSON.stringify(value), {
      status,
      headers: { "content-type": "application/json" },
    });
}
function last() {
  return sent[sent.length - 1];
}
function expect(got, want, what) {
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    throw new Error(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  }
}

const fido = { id: 1, name: "Fido", type: "dog" };
const client = new PetstoreClient({
  endpoint: "https://api.example.com/",
  stage: "v1",
  apiKey: "the-key",
  bearerToken: async () => "the-token",
  credentials: { accessKeyId: "AKID", secretAccessKey: "secret", sessionToken: "session" },
  fetch: fakeFetch,
});

answerJSON(200, fido);
expect(await client.getPet(1), fido, "getPet's result");
expect(last().url, "https://api.example.com/v1/pets/1", "getPet's URL");
expect(last().method, "GET", "getPet's method");
expect(last().headers["x-api-key"], "the-key", "the API key on every request");
expect(last().headers.authorization, undefined, "no token where the operation takes none");

answerJSON(200, {});
await client.getOwner("Ann Lee/2");
expect(last().url, "https://api.example.com/v1/owners/Ann%20Lee%2F2", "a path parameter is one segment");

await client.inventory("patch", "stock/big bag");
expect(last().method, "PATCH", "ANY's method, upper case");
expect(last().url, "https://api.example.com/v1/inventory/stock/big%20bag", "a greedy parameter keeps its slashes");

answerJSON(200, { type: "big dog", pets: [] });
await client.searchPets({ type: "big dog" });
expect(last().url, "https://api.example.com/v1/pets/search?type=big%20dog", "optional query parameters");
expect(last().headers.authorization, "Bearer the-token", "the bearer token");

answer = () => new Response(null, { status: 204 });
expect(await client.deletePets([1, 2], "etag"), undefined, "a void result");
expect(last().url, "https://api.example.com/v1/pets?id=1&id=2", "an array query parameter");
expect(last().headers["if-match"], "etag", "a required header parameter");

answerJSON(200, { version: "1.0" });
await client.getVersion({ xClientVersion: "test/1" });
expect(last().headers["x-client-version"], "test/1", "an optional header parameter");
await client.getVersion();
expect(last().headers["x-client-version"], undefined, "an unset header parameter");

answerJSON(201, { ...fido, name: "Rex" });
expect((await client.createPet({ name: "Rex" })).name, "Rex", "createPet's result");
expect(last().body, '{"name":"Rex"}', "the body, as JSON");
expect(last().headers["content-type"], "application/json", "the body's type");

await client.createSignedPet({ name: "Rex" });
const auth = last().headers.authorization;
const scope = /^AWS4-HMAC-SHA256 Credential=AKID\/(\d{8})\/local\/execute-api\/aws4_request, /;
expect(scope.test(auth), true, `a SigV4 authorization: ${auth}`);
expect(
  auth.includes("SignedHeaders=host;x-amz-date;x-amz-security-token, Signature="),
  true,
  "the signed headers",
);
expect(last().headers["x-amz-security-token"], "session", "the session token");
expect(/^\d{8}T\d{6}Z$/.test(last().headers["x-amz-date"]), true, "x-amz-date");

answer = () => new Response("ok\n", { status: 200, headers: { "content-type": "text/plain" } });
expect(await client.health(), "ok\n", "a text result");

answerJSON(404, { message: "no such pet" });
try {
  await client.getPet(99);
  throw new Error("getPet(99) did not reject");
} catch (err) {
  expect(err instanceof PetstoreError && err instanceof Error, true, "the error's class");
  expect([err.name, err.status, err.message], ["PetstoreError", 404, "no such pet"], "the error");
  expect(err.body, '{"message":"no such pet"}', "the error's body");
}
answer = () => new Response("upstream down", { status: 502 });
try {
  await client.listPets();
  throw new Error("listPets did not reject");
} catch (err) {
  expect([err.status, err.message, err.body], [502, "HTTP status 502", "upstream down"], "a text error");
}

const bare = new PetstoreClient({ endpoint: "http://localhost:8080", stage: "", fetch: fakeFetch });
answerJSON(200, []);
await client.listPets();
await bare.listPets();
expect(last().url, "http://localhost:8080/pets", "no stage");
expect(last().headers["x-api-key"], undefined, "no API key");

answerJSON(200, {});
await client.delete("a class", "b", { signal_: "s", _2fa: "x" });
expect(last().url, "https://api.example.com/v1/things/a%20class/b?signal=s", "escaped names");
expect(last().headers["2fa"], "x", "a header whose name starts with a digit");
expect(typeof client.constructor_, "function", "an operation called constructor");

const aborted = new AbortController();
aborted.abort();
const real = new PetstoreClient({ endpoint: "http://127.0.0.1:9" });
try {
  await real.listPets({ signal: aborted.signal });
  throw new Error("an aborted request did not reject");
} catch (err) {
  expect(err.name, "AbortError", "an aborted request");
}

console.log("ok");
