import Foundation
import Hummingbird

/// The operations console and the OpenAPI document: static files shipped next to the binary
/// (SwiftPM's resource bundle of the jobmanager target), read once at start.
/// `STREAM_CONSOLE_DIR` serves them from another folder instead (e.g. the source tree, to edit
/// the console without a rebuild).
struct ConsoleFiles: Sendable {
    let directory: String?
    private let files: [String: Data]

    static let contentTypes = ["html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8",
                               "js": "text/javascript; charset=utf-8", "json": "application/json",
                               "svg": "image/svg+xml", "png": "image/png"]

    init() {
        let candidates = [ProcessInfo.processInfo.environment["STREAM_CONSOLE_DIR"]]
            + ConsoleFiles.bundleDirectories().map { Optional($0) }
        directory = candidates.compactMap { $0 }.first { FileManager.default.fileExists(atPath: "\($0)/openapi.json") }
        var files: [String: Data] = [:]
        if let directory, let names = try? FileManager.default.contentsOfDirectory(atPath: directory) {
            for name in names { files[name] = FileManager.default.contents(atPath: "\(directory)/\(name)") }
        }
        self.files = files
    }

    /// Where SwiftPM puts the target's resources: beside the executable.
    private static func bundleDirectories() -> [String] {
        var dirs: [String] = []
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for base in [Bundle.main.bundleURL, exe] {
            dirs.append(base.appendingPathComponent("swift-stream_jobmanager.resources/Console").path)
            dirs.append(base.appendingPathComponent("swift-stream_jobmanager.bundle/Contents/Resources/Console").path)
        }
        return dirs
    }

    func response(for name: String) throws -> Response {
        guard let data = files[name] else {
            if directory == nil {
                throw RestError(.notFound, "the console's files are not installed next to the jobmanager binary "
                                + "(swift-stream_jobmanager.resources) and STREAM_CONSOLE_DIR is not set")
            }
            throw RestError(.notFound, "no such file: \(name)")
        }
        let ext = name.split(separator: ".").last.map(String.init) ?? ""
        return Response(status: .ok, headers: [.contentType: ConsoleFiles.contentTypes[ext] ?? "application/octet-stream",
                                               .cacheControl: "no-cache"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
