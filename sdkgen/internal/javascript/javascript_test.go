package javascript

import (
	"bytes"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

var (
	str_    = spec.Type{Kind: spec.String}
	integer = spec.Type{Kind: spec.Integer}
	boolean = spec.Type{Kind: spec.Boolean}
	anyJSON = spec.Type{Kind: spec.Any}
)

func ref(name string) *spec.Type { return &spec.Type{Kind: spec.Ref, Ref: name} }

func arrayOf(t spec.Type) *spec.Type { return &spec.Type{Kind: spec.Array, Elem: &t} }

// petstore is the pet store example's prod stage, as the exporter
// describes it, and an operation with required query and header
// parameters.
func petstore() *spec.API {
	pet := ref("Pet")
	return &spec.API{
		Name:    "petstore",
		Title:   "Pet Store API",
		Doc:     "Pets, their owners and the inventory.",
		Version: "1.0",
		BaseURL: "http://127.0.0.1:8080/prod",
		Stage:   "prod",
		Region:  "local",
		Service: "execute-api",
		Operations: []spec.Operation{
			{Name: "getStats", Method: "GET", Path: "/admin/stats", Result: &anyJSON, Auth: spec.Auth{Bearer: true}},
			{Name: "health", Method: "GET", Path: "/health", TextResult: true},
			{Name: "inventory", Method: "ANY", Path: "/inventory/{proxy+}", Result: &anyJSON,
				Params: []spec.Param{{Name: "proxy", In: spec.InPath, Type: str_, Required: true, Greedy: true}}},
			{Name: "getOwner", Method: "GET", Path: "/owners/{name}", Result: &anyJSON,
				Params: []spec.Param{{Name: "name", In: spec.InPath, Type: str_, Required: true}}},
			{Name: "listPartnerPets", Method: "GET", Path: "/partner/pets", Result: arrayOf(*pet), Auth: spec.Auth{APIKey: true}},
			{Name: "listPets", Method: "GET", Path: "/pets", Doc: "Lists the pets.", Result: arrayOf(*pet)},
			{Name: "createPet", Method: "POST", Path: "/pets", Body: ref("NewPet"), BodyRequired: true, Result: pet},
			{Name: "searchPets", Method: "GET", Path: "/pets/search", Result: ref("SearchResult"), Auth: spec.Auth{Bearer: true},
				Params: []spec.Param{
					{Name: "page", In: spec.InQuery, Type: integer},
					{Name: "type", In: spec.InQuery, Type: str_, Doc: "The pets' type."},
				}},
			{Name: "getPet", Method: "GET", Path: "/pets/{id}", Result: pet,
				Params: []spec.Param{{Name: "id", In: spec.InPath, Type: integer, Required: true}}},
			{Name: "deletePets", Method: "DELETE", Path: "/pets",
				Params: []spec.Param{
					{Name: "id", In: spec.InQuery, Type: *arrayOf(integer), Required: true},
					{Name: "If-Match", In: spec.InHeader, Type: str_, Required: true},
				}},
			{Name: "createSignedPet", Method: "POST", Path: "/signed/pets", Body: ref("NewPet"), BodyRequired: true, Result: pet,
				Auth: spec.Auth{SigV4: true}},
			{Name: "getVersion", Method: "GET", Path: "/version", Result: ref("Version"),
				Params: []spec.Param{{Name: "X-Client-Version", In: spec.InHeader, Type: str_}}},
		},
		Models: []spec.Model{
			{Name: "NewPet", Fields: []spec.Field{{Name: "name", Type: str_, Required: true}, {Name: "type", Type: str_}}},
			{Name: "Pet", Doc: "A pet in the store.", Fields: []spec.Field{
				{Name: "id", Type: integer, Required: true},
				{Name: "name", Type: str_, Required: true, Doc: "The pet's name."},
				{Name: "type", Type: str_, Required: true},
			}},
			{Name: "SearchResult", Fields: []spec.Field{
				{Name: "type", Type: str_},
				{Name: "pets", Type: *arrayOf(*pet)},
				{Name: "searchedAt", Type: spec.Type{Kind: spec.String, Format: "date-time"}},
			}},
			{Name: "Version", Fields: []spec.Field{
				{Name: "version", Type: str_},
				{Name: "stage", Type: str_},
				{Name: "canary", Type: boolean},
				{Name: "build-id", Type: spec.Type{Kind: spec.Map, Elem: &str_}},
			}},
		},
	}
}

func TestGenerate(t *testing.T) {
	files, err := Generate(petstore(), spec.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := slices.Sorted(maps.Keys(files)), []string{"README.md", "index.d.ts", "index.js", "package.json", "sigv4.js"}; !slices.Equal(got, want) {
		t.Fatalf("files %q, want %q", got, want)
	}
	for _, tt := range []struct {
		file string
		want []string
	}{
		{"index.js", []string{
			`import { signRequest, uriEncode } from "./sigv4.js";`,
			`endpoint: "http://127.0.0.1:8080",`,
			`stage: "prod",`,
			`region: "local",`,
			`service: "execute-api",`,
			"export class PetstoreError extends Error {",
			"export class PetstoreClient {",
			"  async getPet(id, options = {}) {",
			"      path: `/pets/${pathSegment(id)}`,",
			"  async inventory(method, proxy, options = {}) {",
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
			"   * Lists the pets.\n   *\n   * `GET /pets`.\n",
			"`GET /partner/pets`: needs the API key.",
			`requestHeaders.set("x-api-key", this.#apiKey);`,
		}},
		{"index.d.ts", []string{
			"export interface PetstoreClientOptions {",
			"export interface SearchPetsOptions extends RequestOptions {\n  /** The query parameter page. */\n  page?: number;\n  /** The pets' type. */\n  type?: string;\n}",
			"export interface GetVersionOptions extends RequestOptions {",
			"  xClientVersion?: string;",
			"/** A pet in the store. */\nexport interface Pet {\n  id: number;\n  /** The pet's name. */\n  name: string;\n  type: string;\n}",
			"export interface NewPet {\n  name: string;\n  type?: string;\n}",
			"  pets?: Pet[];",
			"  searchedAt?: string;",
			`  "build-id"?: Record<string, string>;`,
			"export declare class PetstoreError extends Error {",
			"  getPet(id: number, options?: RequestOptions): Promise<Pet>;",
			"  listPets(options?: RequestOptions): Promise<Pet[]>;",
			"  createPet(body: NewPet, options?: RequestOptions): Promise<Pet>;",
			"  inventory(method: string, proxy: string, options?: RequestOptions): Promise<JsonValue>;",
			"  health(options?: RequestOptions): Promise<string>;",
			"  deletePets(id: number[], ifMatch: string, options?: RequestOptions): Promise<void>;",
			"  searchPets(options?: SearchPetsOptions): Promise<SearchResult>;",
			"   * @throws {PetstoreError} When the response's status is not 2xx.",
		}},
		{"README.md", []string{
			"# Pet Store API: JavaScript SDK",
			`import { PetstoreClient } from "petstore";`,
			"| GET | `/pets/{id}` | `getPet(id)` |  |",
			"| ANY | `/inventory/{proxy+}` | `inventory(method, proxy)` |  |",
			"| GET | `/partner/pets` | `listPartnerPets()` | the API key |",
			"| POST | `/signed/pets` | `createSignedPet(body)` | the credentials (SigV4) |",
			"const result = await client.listPartnerPets();",
			"const result = await client.createSignedPet({ name: \"name\" });",
			"`PetstoreError`",
			"| `endpoint` | `http://127.0.0.1:8080` |",
		}},
		{"package.json", []string{
			`"name": "petstore",`,
			`"version": "1.0.0",`,
			`"type": "module",`,
			`"types": "./index.d.ts",`,
			`"default": "./index.js"`,
		}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			got := string(files[tt.file])
			for _, want := range tt.want {
				if !strings.Contains(got, want) {
					t.Errorf("%s lacks %q", tt.file, want)
				}
			}
			if t.Failed() {
				t.Log(got)
			}
		})
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	first, err := Generate(petstore(), spec.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		again, err := Generate(petstore(), spec.Config{})
		if err != nil {
			t.Fatal(err)
		}
		if !maps.EqualFunc(first, again, bytes.Equal) {
			t.Fatal("two runs generated different files")
		}
	}
}

func TestGenerateOptions(t *testing.T) {
	api := petstore()
	api.Name, api.Stage, api.BaseURL, api.Version = "pet shop", "", "https://pets.example.com/", "v2"
	files, err := Generate(api, spec.Config{Package: "@acme/pets"})
	if err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{
		"index.js":     "endpoint: \"https://pets.example.com\",\n  stage: \"\",",
		"index.d.ts":   "export declare class PetShopClient {",
		"package.json": `"name": "@acme/pets",`,
		"README.md":    `import { PetShopClient } from "@acme/pets";`,
	} {
		if !strings.Contains(string(files[file]), want) {
			t.Errorf("%s lacks %q", file, want)
		}
	}
	if !strings.Contains(string(files["package.json"]), `"version": "2.0.0"`) {
		t.Errorf("version v2 is not 2.0.0:\n%s", files["package.json"])
	}
}

// withReservedWords adds to petstore() names that JavaScript or the
// client reserve.
func withReservedWords() *spec.API {
	api := petstore()
	api.Operations = append(api.Operations,
		spec.Operation{Name: "delete", Method: "DELETE", Path: "/things/{class}/{body}",
			Params: []spec.Param{
				{Name: "class", In: spec.InPath, Type: str_, Required: true},
				{Name: "body", In: spec.InPath, Type: str_, Required: true},
				{Name: "signal", In: spec.InQuery, Type: str_},
				{Name: "2fa", In: spec.InHeader, Type: str_},
			}},
		spec.Operation{Name: "constructor", Method: "GET", Path: "/c"},
	)
	api.Models = append(api.Models, spec.Model{Name: "Promise"}, spec.Model{Name: "Credentials"})
	return api
}

// TestReservedWords checks that names JavaScript or the client reserve
// are escaped, and others kept.
func TestReservedWords(t *testing.T) {
	files, err := Generate(withReservedWords(), spec.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for file, wants := range map[string][]string{
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
	} {
		for _, want := range wants {
			if !strings.Contains(string(files[file]), want) {
				t.Errorf("%s lacks %q", file, want)
			}
		}
	}
}

func TestClashes(t *testing.T) {
	for _, tt := range []struct {
		name   string
		change func(*spec.API)
		want   string
	}{
		{"parameters", func(a *spec.API) {
			a.Operations[8].Params = append(a.Operations[8].Params, spec.Param{Name: "ID", In: spec.InHeader, Type: str_})
		}, `sdkgen: javascript: operation getPet: parameters "id" and "ID" are both "id" in javascript`},
		{"parameter and body", func(a *spec.API) {
			a.Operations[6].Params = append(a.Operations[6].Params, spec.Param{Name: "body_", In: spec.InQuery, Type: str_})
			a.Operations[6].Params = append(a.Operations[6].Params, spec.Param{Name: "body", In: spec.InQuery, Type: str_})
		}, `sdkgen: javascript: operation createPet: parameters "body_" and "body" are both "body_" in javascript`},
		{"operations", func(a *spec.API) {
			a.Operations = append(a.Operations, spec.Operation{Name: "get_pet", Method: "GET", Path: "/x"})
		}, `sdkgen: javascript: operations "getPet" and "get_pet" are both "getPet" in javascript`},
		{"models", func(a *spec.API) {
			a.Models = append(a.Models, spec.Model{Name: "pet"})
		}, `sdkgen: javascript: models "Pet" and "pet" are both "Pet" in javascript`},
		{"fields", func(a *spec.API) {
			a.Models[0].Fields = append(a.Models[0].Fields, spec.Field{Name: "name", Type: str_})
		}, `sdkgen: javascript: model NewPet: fields "name" and "name" are both "name" in javascript`},
		{"model and options", func(a *spec.API) {
			a.Models = append(a.Models, spec.Model{Name: "SearchPetsOptions"})
		}, `sdkgen: javascript: model "SearchPetsOptions" and the options of operation "searchPets" are both "SearchPetsOptions" in javascript`},
		{"model and client", func(a *spec.API) {
			a.Models = append(a.Models, spec.Model{Name: "PetstoreError"})
		}, `sdkgen: javascript: the SDK's own PetstoreError and model "PetstoreError" are both "PetstoreError" in javascript`},
		{"unknown model", func(a *spec.API) {
			a.Operations[6].Body = ref("Nope")
		}, `sdkgen: javascript: operation createPet: body: no model "Nope"`},
		{"path parameter", func(a *spec.API) {
			a.Operations[8].Path = "/pets/{petId}"
		}, `sdkgen: javascript: operation getPet: path "/pets/{petId}": {petId} is not a path parameter`},
		{"package", func(a *spec.API) {
			a.Name = "Pet Store!"
		}, ``},
	} {
		t.Run(tt.name, func(t *testing.T) {
			api := petstore()
			tt.change(api)
			_, err := Generate(api, spec.Config{})
			if tt.want == "" {
				if err != nil {
					t.Fatalf("error %v, want none", err)
				}
				return
			}
			if err == nil || err.Error() != tt.want {
				t.Errorf("error %v,\nwant %s", err, tt.want)
			}
		})
	}
	if _, err := Generate(petstore(), spec.Config{Package: "Not A Name"}); err == nil ||
		err.Error() != `sdkgen: javascript: "Not A Name" is not an npm package name` {
		t.Errorf("package Not A Name: error %v", err)
	}
}

// TestClient runs testdata/client.mjs with node against the SDK of
// withReservedWords(): it checks the requests the client sends through a
// fake fetch (URLs, escaping, parameters, auth headers, bodies) and how it
// reads answers and errors.
func TestClient(t *testing.T) {
	node := lookNode(t)
	files, err := Generate(withReservedWords(), spec.Config{})
	if err != nil {
		t.Fatal(err)
	}
	files["client.mjs"] = readFile(t, filepath.Join("testdata", "client.mjs"))
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(node, "client.mjs")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("node client.mjs: %v\n%s", err, out)
	}
}

// lookNode returns node's path, or skips the test without it (fails
// under CI=true).
func lookNode(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("node is not on PATH: apt-get install nodejs")
		}
		t.Skip("node is not on PATH")
	}
	return node
}
