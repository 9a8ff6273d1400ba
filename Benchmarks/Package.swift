// swift-tools-version:6.1
// A package of its own so the root build and CI never fetch or compile the benchmark framework.
import Foundation
import PackageDescription

/// SwiftPM names a path dependency after its folder (a clone may be called anything), so the root
/// package is referred to by that name.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

let package = Package(
    name: "swift-stream-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Fixtures shared by the micro-benchmarks and the harnesses: jobs.yaml, generated input, the
        // engine-only pipeline.
        .target(name: "BenchSupport", dependencies: [
            .product(name: "StreamCore", package: root),
            .product(name: "Jobs", package: root),
            .product(name: "BSSTools", package: root),
        ]),
        .executableTarget(name: "engine-throughput", dependencies: ["BenchSupport"]),
        .executableTarget(name: "state-memory", dependencies: [
            "BenchSupport",
            .product(name: "StreamCore", package: root),
        ]),
        .executableTarget(name: "e2e-throughput", dependencies: [
            "BenchSupport",
            .product(name: "StreamCore", package: root),
        ]),
        .executableTarget(name: "repartition-cost", dependencies: [
            "BenchSupport",
            .product(name: "StreamCore", package: root),
            .product(name: "BSSTools", package: root),
        ]),
        .executableTarget(name: "kafka-burst-latency", dependencies: [
            "BenchSupport",
            .product(name: "StreamCore", package: root),
        ]),
        .executableTarget(
            name: "StreamBenchmarks",
            dependencies: [
                "BenchSupport",
                .product(name: "StreamCore", package: root),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/StreamBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
