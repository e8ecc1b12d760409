// swift-tools-version: 6.1
import PackageDescription

/// One settings array for every target: Swift 6 mode plus the upcoming features we rely on.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "stampede",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "stampede", targets: ["stampede"]),
        .library(name: "StampedeCore", targets: ["StampedeCore"]),
        .library(name: "StampedeEngine", targets: ["StampedeEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        // OpenAPI 3.0/3.1 documents (Swagger 2.0 is converted by hand in APISpec) and YAML.
        .package(url: "https://github.com/mattpolzin/OpenAPIKit.git", from: "6.4.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        // Already resolved through Hummingbird; named so the modules we import are declared.
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // C shims: tiny, never re-exported.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // glibc's malloc_trim (the replay hands free heap pages back during long runs).
        .systemLibrary(name: "CMalloc"),

        // The one header type and its case-insensitive lookup, shared by the engine and the model.
        .target(
            name: "StampedeHTTP",
            swiftSettings: swiftSettings
        ),
        // Shared model: HTTP exchange, corpus format, templates, config, seeded RNG.
        .target(
            name: "StampedeCore",
            dependencies: ["CZlib", "StampedeHTTP"],
            swiftSettings: swiftSettings
        ),
        // libcurl multi engine, cookie jar, SSE parser.
        .target(
            name: "StampedeEngine",
            dependencies: [
                "CCurl",
                "StampedeHTTP",
            ],
            swiftSettings: swiftSettings
        ),
        // `stampede bench-engine`: a closed-loop benchmark of the engine alone (not in any library product).
        .target(
            name: "EngineBench",
            dependencies: [
                "StampedeEngine",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // The one client core: renders a step for a client, sends it, absorbs and judges the answer.
        .target(
            name: "StampedeClient",
            dependencies: ["StampedeCore", "StampedeHTTP", "StampedeEngine"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Mutator",
            dependencies: ["StampedeCore", "StampedeHTTP"],
            swiftSettings: swiftSettings
        ),
        // Schema-driven generation (positive and negative values per parameter and body) and the
        // JSON Schema validator the conformance checks use; a Mutator family.
        .target(
            name: "SpecFuzz",
            dependencies: [
                "Mutator",
                "StampedeCore",
                "StampedeHTTP",
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
            ],
            swiftSettings: swiftSettings
        ),
        // The API's own OpenAPI document: loading (3.0, 3.1, Swagger 2.0), binding to recorded state,
        // conformance checks and coverage.
        .target(
            name: "APISpec",
            dependencies: [
                "Mutator",
                "SpecFuzz",
                "StampedeCore",
                "StampedeEngine",
                "StampedeHTTP",
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "OpenAPIKit30", package: "OpenAPIKit"),
                .product(name: "OpenAPIKitCompat", package: "OpenAPIKit"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        // Property-based `check`: body schemas, generation, conformance and shrinking of valid bodies.
        .target(
            name: "PropertyCheck",
            dependencies: ["StampedeCore"],
            swiftSettings: swiftSettings
        ),
        // Pure recording logic: exchanges → sessions (grouping, correlation, redaction, HAR). No I/O.
        .target(
            name: "Correlation",
            dependencies: ["StampedeCore", "StampedeHTTP"],
            swiftSettings: swiftSettings
        ),
        // The recording proxy, corpus appending, the demo flow and verification (I/O around Correlation).
        .target(
            name: "Recorder",
            dependencies: [
                "Correlation",
                "StampedeCore",
                "StampedeHTTP",
                "StampedeEngine",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Replayer",
            dependencies: [
                "APISpec",
                "CMalloc",
                "StampedeCore",
                "StampedeHTTP",
                "StampedeEngine",
                "StampedeClient",
                "Mutator",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // Reading a finished run: thresholds, HTML and JUnit rendering, run comparison.
        .target(
            name: "Reports",
            dependencies: ["Replayer", "StampedeClient", "StampedeCore"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DemoTarget",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Shared by test targets only: small demo-API corpora shaped like recordings, a loopback
        // Hummingbird server, and where the built `stampede` binary is.
        .target(
            name: "StampedeTestSupport",
            dependencies: [
                "StampedeCore", "StampedeHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "stampede",
            dependencies: [
                "StampedeCore",
                "StampedeHTTP",
                "StampedeEngine",
                "StampedeClient",
                "EngineBench",
                "Mutator",
                "PropertyCheck",
                "SpecFuzz",
                "APISpec",
                "Correlation",
                "Recorder",
                "Replayer",
                "Reports",
                "DemoTarget",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        .testTarget(
            name: "StampedeCoreTests",
            dependencies: ["StampedeCore", "StampedeHTTP", "StampedeTestSupport", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StampedeEngineTests",
            dependencies: ["StampedeEngine", "StampedeCore", "StampedeHTTP"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MutatorTests",
            dependencies: ["Mutator", "StampedeCore", "StampedeHTTP", "StampedeTestSupport", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SpecFuzzTests",
            dependencies: [
                "SpecFuzz", "Mutator", "StampedeCore", "StampedeHTTP", "StampedeTestSupport", "DemoTarget",
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "APISpecTests",
            dependencies: [
                "APISpec", "SpecFuzz", "Mutator", "DemoTarget", "Replayer", "StampedeClient", "StampedeCore", "StampedeEngine", "StampedeHTTP",
                "StampedeTestSupport", .product(name: "OpenAPIKit", package: "OpenAPIKit"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PropertyCheckTests",
            dependencies: ["PropertyCheck", "StampedeCore", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DemoTargetTests",
            dependencies: ["DemoTarget", "StampedeEngine", "StampedeCore", "StampedeHTTP", "PropertyCheck", "StampedeTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CorrelationTests",
            dependencies: ["Correlation", "StampedeCore", "StampedeHTTP"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RecorderTests",
            dependencies: [
                "stampede", "Recorder", "Correlation", "DemoTarget", "StampedeEngine", "StampedeCore", "StampedeHTTP", "StampedeClient",
                "StampedeTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ReplayerTests",
            dependencies: [
                "Replayer", "DemoTarget", "StampedeEngine", "StampedeCore", "StampedeHTTP", "StampedeClient", "Mutator",
                "StampedeTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Reports", "Replayer", "StampedeCore"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            // `stampede`: the binary the tests run is built with them (StampedeBinary finds it next to the runner).
            dependencies: ["stampede", "DemoTarget", "Replayer", "StampedeCore", "StampedeHTTP", "StampedeTestSupport"],
            swiftSettings: swiftSettings
        ),
        // Record and replay servers nobody here wrote (Kinto, Jupyter Server), installed by
        // scripts/install-test-servers.sh; skipped with a message when they are not installed.
        .testTarget(
            name: "ThirdPartyTests",
            dependencies: ["stampede", "StampedeCore", "StampedeHTTP", "StampedeEngine", "StampedeTestSupport"],
            exclude: ["Flows"],
            swiftSettings: swiftSettings
        ),
    ]
)
