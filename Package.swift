// swift-tools-version: 6.1
import PackageDescription

/// Indicators are the hottest code in the host: let the optimizer see across the module
/// boundary so `update` calls inline into the pipeline and the benchmarks.
let crossModule: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

let package = Package(
    name: "Chloe",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "chloe", targets: ["chloe"]),
        .library(name: "Indicators", targets: ["Indicators"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        .target(name: "Indicators", swiftSettings: crossModule, linkerSettings: [.linkedLibrary("m")]),
        .target(name: "Exchanges"),
        .target(name: "Scripting", dependencies: ["CLua", "Indicators"]),
        .target(name: "Host", dependencies: ["Indicators", "Exchanges", "Scripting"], swiftSettings: crossModule),
        .executableTarget(
            name: "chloe",
            dependencies: [
                "Host",
                "Exchanges",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: crossModule
        ),
        .testTarget(name: "IndicatorsTests", dependencies: ["Indicators"], resources: [.copy("Reference")]),
        .testTarget(name: "ExchangesTests", dependencies: ["Exchanges"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ScriptingTests", dependencies: ["Scripting"], resources: [.copy("Scripts")]),
        .testTarget(name: "HostTests", dependencies: ["Host"]),
        .testTarget(name: "ChloeTests", dependencies: ["chloe"]),
    ],
    swiftLanguageModes: [.v6]
)
