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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka",
                       providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(name: "CRocksDB", pkgConfig: "rocksdb",
                       providers: [.apt(["librocksdb-dev"])]),
        .target(name: "StreamCore", dependencies: [
            "CRdKafka", "CRocksDB",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Jobs", dependencies: [
            "StreamCore",
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "BSSTools", dependencies: ["StreamCore"]),
        .executableTarget(name: "jobmanager", dependencies: [
            "StreamCore", "Jobs",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "bss-events", dependencies: [
            "StreamCore", "Jobs", "BSSTools",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "StreamCoreTests", dependencies: ["StreamCore"]),
        .testTarget(name: "JobsTests", dependencies: ["Jobs"]),
        .testTarget(name: "BSSToolsTests", dependencies: ["BSSTools"]),
        .testTarget(name: "IntegrationTests", dependencies: ["StreamCore", "Jobs", "BSSTools"]),
    ],
    swiftLanguageModes: [.v6]
)
