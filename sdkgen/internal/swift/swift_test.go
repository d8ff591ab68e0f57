package swift

import (
	"testing"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
	"github.com/gatekit/gatekit/sdkgen/internal/spec/spectest"
)

func TestGenerate(t *testing.T) {
	files := spectest.GeneratePetstore(t, Generate, "Package.swift", "README.md",
		"Sources/Petstore/APIError.swift", "Sources/Petstore/Client.swift",
		"Sources/Petstore/Models.swift", "Sources/Petstore/SigV4.swift")
	spectest.Contains(t, files, map[string][]string{
		"Package.swift": {`name: "Petstore"`, `.product(name: "Crypto", package: "swift-crypto", condition: .when(platforms: [.linux]))`},
		"Sources/Petstore/Client.swift": {
			"public final class PetstoreClient {",
			`endpoint: URL = URL(string: "http://127.0.0.1:8080")!,`,
			`stage: String = "prod",`,
			`region: String = "local",`,
			`service: String = "execute-api"`,
			"public func listPets() async throws -> [Pet] {",
			"public func getPet(id: Int) async throws -> Pet {",
			`let request = Request(method: "GET", path: "/pets/\(Request.escape(String(id)))")`,
			"public func inventory(method: String, proxy: String, body: JSONValue? = nil) async throws -> JSONValue {",
			`var request = Request(method: method, path: "/inventory/\(Request.escapePath(proxy))")`,
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
		},
		"Sources/Petstore/Models.swift": {
			"/// A pet in the store.\npublic struct Pet: Codable, Hashable, Sendable {",
			"    public var id: Int\n    /// The pet's name.\n    public var name: String\n    public var type: String\n",
			"public struct NewPet: Codable, Hashable, Sendable {\n    public var name: String\n    public var type: String?\n",
			"public init(name: String, type: String? = nil) {",
			"public var searchedAt: String?",
			"public var default_: [String: Int]?",
			`case buildId = "build-id"`,
			`case default_ = "default"`,
			"public enum JSONValue: Codable, Hashable, Sendable {",
		},
		"Sources/Petstore/SigV4.swift":    {"HMAC<SHA256>.authenticationCode", "import CryptoKit", "import Crypto"},
		"Sources/Petstore/APIError.swift": {"public struct APIError: Error", "public let status: Int", "public let body: Data", "public let message: String?"},
		"README.md": {
			"# Pet Store Swift SDK",
			"swift-crypto",
			`let client = PetstoreClient(configuration: .init(apiKey: "my-api-key"))`,
			"let result = try await client.listPartnerPets()",
			"let result = try await client.getStats()",
			`let result = try await client.createSignedPet(body: NewPet(name: "name"))`,
			"| ANY | `/inventory/{proxy+}` | `inventory(method:proxy:body:)` |",
			"| GET | `/pets/search` | `searchPets(page:tag:type:)` |",
			"| PUT | `/pets/{id}` | `updatePet(id:body:)` |",
			"APIError",
		},
	})
}

func TestGeneratePackage(t *testing.T) {
	files := spectest.Generate(t, Generate, spectest.Petstore(), spec.Config{Package: "pet-shop"})
	spectest.Contains(t, files, map[string][]string{"Sources/PetShop/Client.swift": {"public final class PetShopClient {"}})
}

func TestGenerateNames(t *testing.T) {
	spectest.CheckErrors(t, "swift", Generate)
	const client, models = "Sources/Petstore/Client.swift", "Sources/Petstore/Models.swift"
	str := spec.Type{Kind: spec.String}
	spectest.CheckCases(t, Generate, []spectest.Case{
		{Name: "reserved parameter", Change: func(a *spec.API) {
			op := spectest.Op(a, "getOwner")
			op.Params = append(op.Params, spec.Param{Name: "for", In: spec.InQuery, Type: str, Required: true})
		}, Want: map[string][]string{client: {"public func getOwner(name: String, for_: String) async throws -> JSONValue {"}}},
		{Name: "parameter named body", Change: func(a *spec.API) {
			op := spectest.Op(a, "createPet")
			op.Params = append(op.Params, spec.Param{Name: "body", In: spec.InQuery, Type: str, Required: true})
		}, Want: map[string][]string{client: {"public func createPet(body_: String, body: NewPet) async throws -> Pet {"}}},
		{Name: "reserved operation", Change: func(a *spec.API) { spectest.Op(a, "health").Name = "import" },
			Want: map[string][]string{client: {"public func import_() async throws -> String {"}}},
		{Name: "operation named like a member", Change: func(a *spec.API) { spectest.Op(a, "health").Name = "send" },
			Want: map[string][]string{client: {"public func send_() async throws -> String {"}}},
		{Name: "model named like an SDK type", Change: func(a *spec.API) { a.Models = append(a.Models, spec.Model{Name: "request"}) },
			Want: map[string][]string{models: {"public struct Request_: Codable"}}},
		{Name: "digit first", Change: func(a *spec.API) {
			m := spectest.Model(a, "Version")
			m.Fields = append(m.Fields, spec.Field{Name: "2fa", Type: str})
		}, Want: map[string][]string{models: {"public var _2fa: String?"}}},
	})
}
