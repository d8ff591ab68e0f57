// main.swift calls every operation of the pet store's prod stage through
// the generated Swift SDK and checks the answers, printing "ok NAME" for
// each; it exits 1 on the first failed check. It reads GATEKIT_BASE_URL,
// GATEKIT_API_KEY, GATEKIT_TOKEN, GATEKIT_ACCESS_KEY, GATEKIT_SECRET_KEY
// and GATEKIT_REGION.

import Foundation
import Petstore

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("FAIL \(message)\n".utf8))
    exit(1)
}

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        fail(message())
    }
}

func env(_ name: String) -> String {
    guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
        fail("\(name) is not set")
    }
    return value
}

func checkFido(_ op: String, _ pets: [Pet]) {
    check(pets.contains { $0.id == 1 && $0.name == "Fido" && $0.type == "dog" }, "\(op): no Fido the dog with id 1 in \(pets)")
}

// The base URL ends with the stage: configure both.
guard let base = URL(string: env("GATEKIT_BASE_URL")) else {
    fail("GATEKIT_BASE_URL is not a URL")
}
let defaults = PetstoreClient.Configuration(endpoint: base.deletingLastPathComponent(), stage: base.lastPathComponent)
check(defaults.stage == "prod", "the stage of \(base) is \(defaults.stage)")

// Each client has one kind of credentials, so that an operation passes
// only when the client sends what it needs.
let client = PetstoreClient(configuration: defaults)
var partnerConfiguration = defaults
partnerConfiguration.apiKey = env("GATEKIT_API_KEY")
let partner = PetstoreClient(configuration: partnerConfiguration)
var adminConfiguration = defaults
adminConfiguration.bearerToken = env("GATEKIT_TOKEN")
let admin = PetstoreClient(configuration: adminConfiguration)
var signerConfiguration = defaults
signerConfiguration.credentials = SigV4Credentials(accessKeyID: env("GATEKIT_ACCESS_KEY"), secretAccessKey: env("GATEKIT_SECRET_KEY"))
signerConfiguration.region = env("GATEKIT_REGION")
let signer = PetstoreClient(configuration: signerConfiguration)

do {
    checkFido("listPets", try await client.listPets())
    print("ok listPets")

    let fido = try await client.getPet(id: 1)
    check(fido.name == "Fido", "getPet 1: \(fido)")
    print("ok getPet")

    do {
        let pet = try await client.getPet(id: 99)
        fail("getPet 99: \(pet)")
    } catch let error as APIError {
        check(error.status == 404 && error.message == "no such pet" && !error.body.isEmpty, "getPet 99: \(error)")
    }
    print("ok error")

    let dogs = try await admin.searchPets(type: "dog")
    check(dogs.type == "dog" && !(dogs.pets ?? []).isEmpty && dogs.searchedAt != nil, "searchPets: \(dogs)")
    check((dogs.pets ?? []).allSatisfy { $0.type == "dog" }, "searchPets dog: \(dogs)")
    print("ok searchPets")

    let rex = try await client.createPet(body: NewPet(name: "Swift Rex", type: "cat"))
    check(rex.name == "Swift Rex" && rex.type == "cat", "createPet: \(rex)")
    print("ok createPet")

    let owner = try await client.getOwner(name: "ada lovelace")
    check(owner["owner"]?.stringValue == "ada lovelace", "getOwner: \(owner)")
    print("ok getOwner")

    let stock = try await client.inventory(method: "GET", proxy: "stock/kibble")
    check(stock["item"]?.stringValue == "kibble" && stock["env"]?.stringValue == "prod", "inventory: \(stock)")
    print("ok inventory")

    checkFido("listPartnerPets", try await partner.listPartnerPets())
    print("ok listPartnerPets")

    let signed = try await signer.createSignedPet(body: NewPet(name: "Signed Swift Rex"))
    check(signed.name == "Signed Swift Rex", "createSignedPet: \(signed)")
    print("ok createSignedPet")

    let stats = try await admin.getStats()
    check(stats["pets"]?.doubleValue != nil, "getStats: \(stats)")
    print("ok getStats")

    let health = try await client.health()
    check(health == "ok\n", "health: \(health)")
    print("ok health")

    let version = try await client.getVersion(xClientVersion: "swift-driver")
    check(version.stage == "prod" && version.version != nil && version.canary != nil, "getVersion: \(version)")
    print("ok getVersion")
} catch {
    fail("\(error)")
}
