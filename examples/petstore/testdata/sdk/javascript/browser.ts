// Type-checks the SDK's declarations as a browser application sees them:
// the DOM's fetch and AbortSignal, no Node.js types, resolved as a
// bundler resolves the package. It is compiled, never run.
import { PetstoreClient, PetstoreError, type Pet } from "petstore";

const client = new PetstoreClient({
  endpoint: location.origin,
  stage: "prod",
  bearerToken: () => sessionStorage.getItem("token") ?? "",
  fetch: (input, init) => fetch(input, { ...init, credentials: "include" }),
});

export async function fido(signal: AbortSignal): Promise<Pet | undefined> {
  try {
    return await client.getPet(1, { signal });
  } catch (err) {
    if (err instanceof PetstoreError && err.status === 404) {
      return undefined;
    }
    throw err;
  }
}
