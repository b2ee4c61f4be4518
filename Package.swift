// swift-tools-version: 6.1
import PackageDescription

/// Release settings of Chloe's own modules, the per-event hot path:
/// - cross-module optimization, so indicator updates and the strategy runtime's calls inline
///   into the pipeline and the benchmarks. An incremental build does not track those inlined
///   copies, so a module left as it was keeps the old code (and struct layouts) of one that
///   changed: build releases with `make release`, which recompiles every module after a change;
/// - no run-time exclusivity checks. Every `var` property of a class read or written on the hot
///   path otherwise costs a `swift_beginAccess`/`swift_endAccess` pair (a thread-local access
///   set): about a fifth of the pipeline's time per event in a profile. The compile-time
///   checks stay, and debug builds (the whole test suite) keep the run-time checks, so an
///   overlapping access is still caught there.
let hotPath: [SwiftSetting] = [
    .unsafeFlags(["-cross-module-optimization", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "Chloe",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "chloe", targets: ["chloe"]),
        .library(name: "Indicators", targets: ["Indicators"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.29.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.25.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.4.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        .target(name: "Indicators", swiftSettings: hotPath, linkerSettings: [.linkedLibrary("m")]),
        .target(
            name: "Exchanges",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: hotPath
        ),
        .target(name: "Model", dependencies: ["Indicators"], swiftSettings: hotPath),
        .target(name: "Scripting", dependencies: ["CLua", "Indicators", "Model"], swiftSettings: hotPath),
        .target(
            name: "LocalExchange",
            dependencies: [
                "Exchanges",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "Host",
            dependencies: [
                "Indicators", "Exchanges", "Scripting", "Model",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: hotPath
        ),
        .executableTarget(
            name: "chloe",
            dependencies: [
                "Host", "Exchanges", "Model", "Scripting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: hotPath
        ),
        .testTarget(name: "IndicatorsTests", dependencies: ["Indicators"], resources: [.copy("Reference")]),
        .testTarget(
            name: "ExchangesTests",
            dependencies: [
                "Exchanges", "LocalExchange",
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "ModelTests", dependencies: ["Model"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ScriptingTests", dependencies: ["Scripting"], resources: [.copy("Scripts")]),
        .testTarget(
            name: "HostTests",
            dependencies: [
                "Host", "LocalExchange",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "ChloeTests", dependencies: ["chloe"]),
    ],
    swiftLanguageModes: [.v6]
)
