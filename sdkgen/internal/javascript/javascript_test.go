package javascript

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatekit/gatekit/internal/testenv"
	"github.com/gatekit/gatekit/sdkgen/internal/spec"
	"github.com/gatekit/gatekit/sdkgen/internal/spec/spectest"
)

func TestGenerate(t *testing.T) {
	files := spectest.GeneratePetstore(t, Generate, "README.md", "index.d.ts", "index.js", "package.json", "sigv4.js")
	spectest.Contains(t, files, map[string][]string{
		"index.js": {
			`import { signRequest, uriEncode } from "./sigv4.js";`,
			`endpoint: "http://127.0.0.1:8080",`,
			`stage: "prod",`,
			`region: "local",`,
			`service: "execute-api",`,
			"export class PetstoreError extends Error {",
			"export class PetstoreClient {",
			"  async getPet(id, options = {}) {",
			"      path: `/pets/${pathSegment(id)}`,",
			"  async inventory(method, proxy, body, options = {}) {",
			"      method: method.toUpperCase(),",
			"      path: `/inventory/${pathSegments(proxy)}`,",
			"  async searchPets(options = {}) {",
			`        ["page", options.page],`,
			`        ["type", options.type],`,
			"      bearer: true,",
			"  async createSignedPet(body, options = {}) {",
			"      sigv4: true,",
			"  async deletePets(id, ifMatch, options = {}) {",
			`query: [["id", id]],`,
			`headers: [["If-Match", ifMatch]],`,
			`headers: [["X-Client-Version", options.xClientVersion]],`,
			`      read: "text",`,
			"   * Lists the pets.\n   *\n   * All of them.\n   *\n   * `GET /pets`.\n",
			"`GET /partner/pets`: needs the API key.",
			`requestHeaders.set("x-api-key", this.#apiKey);`,
		},
		"index.d.ts": {
			"export interface PetstoreClientOptions {",
			"export interface SearchPetsOptions extends RequestOptions {\n  /** The query parameter page. */\n  page?: number;\n" +
				"  /** The query parameter tag. */\n  tag?: string[];\n  /** The pets' type. */\n  type?: string;\n}",
			"export interface GetVersionOptions extends RequestOptions {",
			"  xClientVersion?: string;",
			"/** A pet in the store. */\nexport interface Pet {\n  id: number;\n  /** The pet's name. */\n  name: string;\n  type: string;\n" +
				"  owner?: Owner;\n  /** A reserved word. */\n  class?: string;\n  tags?: Record<string, string>;\n  friends?: Pet[][];\n}",
			"export interface NewPet {\n  name: string;\n  type?: string;\n}",
			"  pets?: Pet[];",
			"  searchedAt?: string;",
			`  "build-id"?: Record<string, string>;`,
			"export declare class PetstoreError extends Error {",
			"  getPet(id: number, options?: RequestOptions): Promise<Pet>;",
			"  listPets(options?: RequestOptions): Promise<Pet[]>;",
			"  createPet(body: NewPet, options?: RequestOptions): Promise<Pet>;",
			"  inventory(method: string, proxy: string, body?: JsonValue, options?: RequestOptions): Promise<JsonValue>;",
			"  health(options?: RequestOptions): Promise<string>;",
			"  deletePets(id: number[], ifMatch: string, options?: RequestOptions): Promise<void>;",
			"  searchPets(options?: SearchPetsOptions): Promise<SearchResult>;",
			"   * @throws {PetstoreError} When the response's status is not 2xx.",
		},
		"README.md": {
			"# Pet Store: JavaScript SDK",
			`import { PetstoreClient } from "petstore";`,
			"| GET | `/pets/{id}` | `getPet(id)` |  |",
			"| ANY | `/inventory/{proxy+}` | `inventory(method, proxy, body)` |  |",
			"| GET | `/partner/pets` | `listPartnerPets()` | the API key |",
			"| POST | `/signed/pets` | `createSignedPet(body)` | the credentials (SigV4) |",
			"const result = await client.listPartnerPets();",
			"const result = await client.createSignedPet({ name: \"name\" });",
			"`PetstoreError`",
			"| `endpoint` | `http://127.0.0.1:8080` |",
		},
		"package.json": {
			`"name": "petstore",`,
			`"version": "1.0.0",`,
			`"type": "module",`,
			`"types": "./index.d.ts",`,
			`"default": "./index.js"`,
		},
	})
}

func TestGenerateOptions(t *testing.T) {
	files := spectest.Generate(t, Generate, spectest.PetShop(), spec.Config{Package: "@acme/pets"})
	spectest.Contains(t, files, map[string][]string{
		"index.js":   {"endpoint: \"https://pets.example.com\",\n  stage: \"\","},
		"index.d.ts": {"export declare class PetShopClient {"},
		// The version v2 is 2.0.0.
		"package.json": {`"name": "@acme/pets",`, `"version": "2.0.0"`},
		"README.md":    {`import { PetShopClient } from "@acme/pets";`},
	})
}

// withReservedWords adds to spectest.Petstore() names that JavaScript or
// the client reserve.
func withReservedWords() *spec.API {
	str := spec.Type{Kind: spec.String}
	api := spectest.Petstore()
	api.Operations = append(api.Operations,
		spec.Operation{Name: "delete", Method: "DELETE", Path: "/things/{class}/{body}",
			Params: []spec.Param{
				{Name: "class", In: spec.InPath, Type: str, Required: true},
				{Name: "body", In: spec.InPath, Type: str, Required: true},
				{Name: "signal", In: spec.InQuery, Type: str},
				{Name: "2fa", In: spec.InHeader, Type: str},
			}},
		spec.Operation{Name: "constructor", Method: "GET", Path: "/c"},
	)
	api.Models = append(api.Models, spec.Model{Name: "Promise"}, spec.Model{Name: "Credentials"})
	return api
}

// TestReservedWords checks that names JavaScript or the client reserve
// are escaped, and others kept.
func TestReservedWords(t *testing.T) {
	files := spectest.Generate(t, Generate, withReservedWords(), spec.Config{})
	spectest.Contains(t, files, map[string][]string{
		"index.js": {
			"  async delete(class_, body_, options = {}) {",
			"path: `/things/${pathSegment(class_)}/${pathSegment(body_)}`",
			`query: [["signal", options.signal_]]`,
			`["2fa", options._2fa]`,
			"  async constructor_(options = {}) {",
		},
		"index.d.ts": {
			"export interface Promise_ {",
			"export interface Credentials_ {",
			"export interface Credentials {",
			"  signal_?: string;",
		},
	})
}

func TestClashes(t *testing.T) {
	spectest.CheckErrors(t, "javascript", Generate)
	spectest.CheckCases(t, Generate, []spectest.Case{
		{Name: "model and client", Change: func(a *spec.API) {
			a.Models = append(a.Models, spec.Model{Name: "PetstoreError"})
		}, Err: `sdkgen: javascript: the SDK's own PetstoreError and model "PetstoreError" are both "PetstoreError" in javascript`},
		{Name: "package", Change: func(a *spec.API) { a.Name = "Pet Store!" }},
	})
	if _, err := Generate(spectest.Petstore(), spec.Config{Package: "Not A Name"}); err == nil ||
		err.Error() != `sdkgen: javascript: "Not A Name" is not an npm package name` {
		t.Errorf("package Not A Name: error %v", err)
	}
}

// TestClient runs testdata/client.mjs with node against the SDK of
// withReservedWords(): it checks the requests the client sends through a
// fake fetch (URLs, escaping, parameters, auth headers, bodies) and how it
// reads answers and errors.
func TestClient(t *testing.T) {
	node := testenv.Tool(t, "node", "apt-get install nodejs")
	files := spectest.Generate(t, Generate, withReservedWords(), spec.Config{})
	files["client.mjs"] = readFile(t, filepath.Join("testdata", "client.mjs"))
	if out := testenv.Run(t, spectest.WriteTemp(t, files), nil, node, "client.mjs"); !strings.Contains(out, "ok") {
		t.Errorf("node client.mjs:\n%s", out)
	}
}
