// swift-tools-version:5.7
// The Swift SDK's driver: `GATEKIT_SWIFT_SDK=/path/to/sdk swift run` with
// the GATEKIT_* variables set runs it against the pet store. It is only
// parsed here (there is no Swift compiler on this machine).

import Foundation
import PackageDescription

let package = Package(
    name: "Driver",
    platforms: [.macOS(.v12)],
    dependencies: [
        .package(path: ProcessInfo.processInfo.environment["GATEKIT_SWIFT_SDK"] ?? "../sdk"),
    ],
    targets: [
        .executableTarget(name: "Driver", dependencies: [.product(name: "Petstore", package: "sdk")]),
    ]
)
