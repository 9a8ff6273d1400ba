// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "swift-stream",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "StreamCore", targets: ["StreamCore"]),
        .library(name: "Jobs", targets: ["Jobs"]),
        // The deterministic event generator, for Benchmarks/ (a separate package).
        .library(name: "BSSTools", targets: ["BSSTools"]),
        .executable(name: "jobmanager", targets: ["jobmanager"]),
        .executable(name: "bss-events", targets: ["bss-events"]),
        .executable(name: "taskmanager", targets: ["taskmanager"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka",
                       providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(name: "CRocksDB", pkgConfig: "rocksdb",
                       providers: [.apt(["librocksdb-dev"])]),
        .systemLibrary(name: "CPrefetch"),
        .target(name: "StreamCore", dependencies: [
            "CRdKafka", "CRocksDB", "CPrefetch",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Jobs", dependencies: [
            "StreamCore",
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "BSSTools", dependencies: ["StreamCore"]),
        // The coordinator model and the jobmanager/taskmanager wire protocol: no HTTP types.
        .target(name: "Cluster", dependencies: [
            "StreamCore", "Jobs",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "jobmanager", dependencies: [
            "StreamCore", "Jobs", "Cluster",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ],
        // The operations console (static files) and the OpenAPI document, served by `serve`.
        resources: [.copy("Console")]),
        .executableTarget(name: "taskmanager", dependencies: [
            "StreamCore", "Jobs", "Cluster",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOFoundationCompat", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .executableTarget(name: "bss-events", dependencies: [
            "StreamCore", "Jobs", "BSSTools",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "StreamCoreTests", dependencies: ["StreamCore", "BSSTools"]),
        .testTarget(name: "JobsTests", dependencies: ["Jobs"]),
        .testTarget(name: "BSSToolsTests", dependencies: ["BSSTools"]),
        .testTarget(name: "IntegrationTests", dependencies: ["StreamCore", "Jobs", "BSSTools", "TestSupport"]),
        .testTarget(name: "ClusterTests", dependencies: [
            "StreamCore", "Jobs", "BSSTools", "Cluster", "TestSupport",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOFoundationCompat", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // Real-process fixtures shared by the integration and cluster tests.
        .target(name: "TestSupport", dependencies: ["StreamCore", "Jobs", "BSSTools"], path: "Tests/TestSupport"),
    ],
    swiftLanguageModes: [.v6]
)
