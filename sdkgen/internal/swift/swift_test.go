package swift

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// petstore is the example pet store's prod stage, as sdkgen reads it,
// with a few additions that exercise the generator: a reserved word, a
// repeated query parameter and an optional body.
func petstore() *spec.API {
	str := spec.Type{Kind: spec.String}
	integer := spec.Type{Kind: spec.Integer}
	pet := spec.Type{Kind: spec.Ref, Ref: "Pet"}
	newPet := &spec.Type{Kind: spec.Ref, Ref: "NewPet"}
	any := &spec.Type{Kind: spec.Any}
	return &spec.API{
		Name: "petstore", Title: "Pet Store", Doc: "The example pet store.", Version: "1.0",
		BaseURL: "http://127.0.0.1:8080/prod", Stage: "prod", Region: "local", Service: "execute-api",
		Operations: []spec.Operation{
			{Name: "getStats", Method: "GET", Path: "/admin/stats", Result: any, Auth: spec.Auth{Bearer: true}},
			{Name: "health", Method: "GET", Path: "/health", TextResult: true},
			{Name: "inventory", Method: "ANY", Path: "/inventory/{proxy+}", Result: any,
				Params: []spec.Param{{Name: "proxy", In: spec.InPath, Type: str, Required: true, Greedy: true}}},
			{Name: "getOwner", Method: "GET", Path: "/owners/{name}", Result: any,
				Params: []spec.Param{{Name: "name", In: spec.InPath, Type: str, Required: true}}},
			{Name: "listPartnerPets", Method: "GET", Path: "/partner/pets", Auth: spec.Auth{APIKey: true},
				Result: &spec.Type{Kind: spec.Array, Elem: &pet}},
			{Name: "listPets", Method: "GET", Path: "/pets", Result: &spec.Type{Kind: spec.Array, Elem: &pet}},
			{Name: "createPet", Method: "POST", Path: "/pets", Body: newPet, BodyRequired: true, Result: &pet},
			{Name: "searchPets", Method: "GET", Path: "/pets/search", Doc: "Searches the pets by type, slowly.",
				Auth: spec.Auth{Bearer: true}, Result: &spec.Type{Kind: spec.Ref, Ref: "SearchResult"},
				Params: []spec.Param{
					{Name: "page", In: spec.InQuery, Type: integer},
					{Name: "tag", In: spec.InQuery, Type: spec.Type{Kind: spec.Array, Elem: &str}},
					{Name: "type", In: spec.InQuery, Type: str},
				}},
			{Name: "getPet", Method: "GET", Path: "/pets/{id}", Result: &pet,
				Params: []spec.Param{{Name: "id", In: spec.InPath, Type: integer, Required: true, Doc: "The pet's id."}}},
			{Name: "updatePet", Method: "PUT", Path: "/pets/{id}", Body: newPet,
				Params: []spec.Param{{Name: "id", In: spec.InPath, Type: integer, Required: true}}},
			{Name: "createSignedPet", Method: "POST", Path: "/signed/pets", Body: newPet, BodyRequired: true,
				Result: &pet, Auth: spec.Auth{SigV4: true}},
			{Name: "getVersion", Method: "GET", Path: "/version", Result: &spec.Type{Kind: spec.Ref, Ref: "Version"},
				Params: []spec.Param{{Name: "X-Client-Version", In: spec.InHeader, Type: str}}},
		},
		Models: []spec.Model{
			{Name: "NewPet", Fields: []spec.Field{{Name: "name", Type: str, Required: true}, {Name: "type", Type: str}}},
			{Name: "Pet", Doc: "A pet.", Fields: []spec.Field{
				{Name: "id", Type: integer, Required: true},
				{Name: "name", Type: str, Required: true},
				{Name: "type", Type: str, Required: true},
			}},
			{Name: "SearchResult", Fields: []spec.Field{
				{Name: "type", Type: str},
				{Name: "pets", Type: spec.Type{Kind: spec.Array, Elem: &pet}},
				{Name: "searched_at", Type: spec.Type{Kind: spec.String, Format: "date-time"}},
				{Name: "default", Type: spec.Type{Kind: spec.Map, Elem: &integer}},
			}},
			{Name: "Version", Fields: []spec.Field{
				{Name: "version", Type: str}, {Name: "stage", Type: str}, {Name: "canary", Type: spec.Type{Kind: spec.Boolean}},
			}},
		},
	}
}

func TestGenerate(t *testing.T) {
	files, err := Generate(petstore(), spec.Config{})
	if err != nil {
		t.Fatal(err)
	}
	wantFiles := []string{
		"Package.swift", "README.md",
		"Sources/Petstore/APIError.swift", "Sources/Petstore/Client.swift",
		"Sources/Petstore/Models.swift", "Sources/Petstore/SigV4.swift",
	}
	if got := slices.Sorted(maps.Keys(files)); !slices.Equal(got, wantFiles) {
		t.Fatalf("files = %q, want %q", got, wantFiles)
	}
	tests := []struct {
		file string
		want []string
	}{
		{"Package.swift", []string{`name: "Petstore"`, `.product(name: "Crypto", package: "swift-crypto", condition: .when(platforms: [.linux]))`}},
		{"Sources/Petstore/Client.swift", []string{
			"public final class PetstoreClient {",
			`endpoint: URL = URL(string: "http://127.0.0.1:8080")!,`,
			`stage: String = "prod",`,
			`region: String = "local",`,
			`service: String = "execute-api"`,
			"public func listPets() async throws -> [Pet] {",
			"public func getPet(id: Int) async throws -> Pet {",
			`let request = Request(method: "GET", path: "/pets/\(Request.escape(String(id)))")`,
			"public func inventory(method: String, proxy: String) async throws -> JSONValue {",
			`let request = Request(method: method, path: "/inventory/\(Request.escapePath(proxy))")`,
			"public func searchPets(page: Int? = nil, tag: [String]? = nil, type: String? = nil) async throws -> SearchResult {",
			`var request = Request(method: "GET", path: "/pets/search", bearer: true)`,
			`request.query.append(("page", String(page)))`,
			`request.query += tag.map { ("tag", $0) }`,
			"public func createPet(body: NewPet) async throws -> Pet {",
			"request.body = try JSONEncoder().encode(body)",
			"public func updatePet(id: Int, body: NewPet? = nil) async throws {",
			"        try await send(request)\n",
			`var request = Request(method: "POST", path: "/signed/pets", sigV4: true)`,
			"public func health() async throws -> String {",
			"return try await String(decoding: send(request), as: UTF8.self)",
			"public func getVersion(xClientVersion: String? = nil) async throws -> Version {",
			`request.headers["X-Client-Version"] = xClientVersion`,
			`urlRequest.setValue(apiKey, forHTTPHeaderField: "x-api-key")`,
			`urlRequest.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")`,
			"throw APIError(status: response.statusCode, body: data)",
		}},
		{"Sources/Petstore/Models.swift", []string{
			"/// A pet.\npublic struct Pet: Codable, Hashable, Sendable {",
			"    public var id: Int\n    public var name: String\n    public var type: String\n",
			"public struct NewPet: Codable, Hashable, Sendable {\n    public var name: String\n    public var type: String?\n",
			"public init(name: String, type: String? = nil) {",
			"public var searchedAt: String?",
			"public var default_: [String: Int]?",
			`case searchedAt = "searched_at"`,
			`case default_ = "default"`,
			"public enum JSONValue: Codable, Hashable, Sendable {",
		}},
		{"Sources/Petstore/SigV4.swift", []string{"HMAC<SHA256>.authenticationCode", "import CryptoKit", "import Crypto"}},
		{"Sources/Petstore/APIError.swift", []string{"public struct APIError: Error", "public let status: Int", "public let body: Data", "public let message: String?"}},
		{"README.md", []string{
			"# Pet Store Swift SDK",
			"swift-crypto",
			`let client = PetstoreClient(configuration: .init(apiKey: "my-api-key"))`,
			"let result = try await client.listPartnerPets()",
			"let result = try await client.getStats()",
			`let result = try await client.createSignedPet(body: NewPet(name: "name"))`,
			"| ANY | `/inventory/{proxy+}` | `inventory(method:proxy:)` |",
			"| GET | `/pets/search` | `searchPets(page:tag:type:)` |",
			"| PUT | `/pets/{id}` | `updatePet(id:body:)` |",
			"APIError",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := string(files[tt.file])
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("%s lacks %q", tt.file, w)
				}
			}
		})
	}
	if t.Failed() {
		t.Logf("Client.swift:\n%s", files["Sources/Petstore/Client.swift"])
	}

	again, err := Generate(petstore(), spec.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if !bytes.Equal(data, again[name]) {
			t.Errorf("%s differs between two runs", name)
		}
	}
}

func TestGeneratePackage(t *testing.T) {
	files, err := Generate(petstore(), spec.Config{Package: "pet-shop"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := files["Sources/PetShop/Client.swift"]; !ok {
		t.Errorf("no Sources/PetShop/Client.swift")
	}
	if !bytes.Contains(files["Sources/PetShop/Client.swift"], []byte("public final class PetShopClient {")) {
		t.Errorf("the client is not PetShopClient")
	}
}

func TestGenerateNames(t *testing.T) {
	str := spec.Type{Kind: spec.String}
	tests := []struct {
		name string
		edit func(*spec.API)
		err  string // "" for none
		want string // in Client.swift or Models.swift when err is ""
	}{
		{"parameters clash", func(a *spec.API) {
			a.Operations[3].Params = append(a.Operations[3].Params,
				spec.Param{Name: "pet-id", In: spec.InQuery, Type: str}, spec.Param{Name: "pet_id", In: spec.InHeader, Type: str})
		}, `sdkgen: swift: operation getOwner: parameters "pet-id" and "pet_id" are both "petId" in swift`, ""},
		{"operations clash", func(a *spec.API) { a.Operations[0].Name = "list_pets" },
			`sdkgen: swift: operations "list_pets" and "listPets" are both "listPets" in swift`, ""},
		{"models clash", func(a *spec.API) {
			a.Models[0].Name = "new_pet"
			a.Models = append(a.Models, spec.Model{Name: "NewPet"})
		},
			`sdkgen: swift: models "new_pet" and "NewPet" are both "NewPet" in swift`, ""},
		{"fields clash", func(a *spec.API) {
			a.Models[1].Fields = append(a.Models[1].Fields, spec.Field{Name: "Name", Type: str})
		}, `sdkgen: swift: model Pet: fields "name" and "Name" are both "name" in swift`, ""},
		{"unknown model", func(a *spec.API) { a.Operations[1].Result = &spec.Type{Kind: spec.Ref, Ref: "Nope"} },
			`sdkgen: swift: operation health: no model "Nope"`, ""},
		{"reserved parameter", func(a *spec.API) {
			a.Operations[3].Params = append(a.Operations[3].Params, spec.Param{Name: "for", In: spec.InQuery, Type: str, Required: true})
		}, "", "public func getOwner(name: String, for_: String) async throws -> JSONValue {"},
		{"parameter named body", func(a *spec.API) {
			a.Operations[6].Params = append(a.Operations[6].Params, spec.Param{Name: "body", In: spec.InQuery, Type: str, Required: true})
		}, "", "public func createPet(body_: String, body: NewPet) async throws -> Pet {"},
		{"reserved operation", func(a *spec.API) { a.Operations[1].Name = "import" }, "", "public func import_() async throws -> String {"},
		{"operation named like a member", func(a *spec.API) { a.Operations[1].Name = "send" }, "", "public func send_() async throws -> String {"},
		{"model named like an SDK type", func(a *spec.API) {
			a.Models = append(a.Models, spec.Model{Name: "request"})
		}, "", "public struct Request_: Codable"},
		{"digit first", func(a *spec.API) {
			a.Models[3].Fields = append(a.Models[3].Fields, spec.Field{Name: "2fa", Type: str})
		}, "", "public var _2fa: String?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := petstore()
			tt.edit(api)
			files, err := Generate(api, spec.Config{})
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error = %v, want %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			src := string(files["Sources/Petstore/Client.swift"]) + string(files["Sources/Petstore/Models.swift"])
			if !strings.Contains(src, tt.want) {
				t.Errorf("the sources lack %q", tt.want)
			}
		})
	}
}
