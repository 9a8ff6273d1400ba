import Foundation

/// The input files of a replay, from the paths a user gave.
public enum ReplayInputs {
    static let extensions = [".jsonl", ".ndjson"]

    /// Each path in order: a file stands for itself, a directory for its `*.jsonl` and `*.ndjson`
    /// files in name order (not recursive). Checked before anything runs, so a typo fails at once.
    public static func expand(_ paths: [String]) throws -> [String] {
        guard !paths.isEmpty else { throw FileReplayError.inputMissing("no --input given") }
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw FileReplayError.inputMissing("\(path) does not exist")
            }
            var found = [path]
            if isDirectory.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: path)
                found = names.filter { name in extensions.contains { name.hasSuffix($0) } }
                    .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                    .map { (path.hasSuffix("/") ? path : path + "/") + $0 }
                guard !found.isEmpty else {
                    throw FileReplayError.inputMissing("directory \(path) has no *.jsonl or *.ndjson file")
                }
            }
            for file in found where access(file, R_OK) != 0 {
                throw FileReplayError.inputMissing("\(file) is not readable")
            }
            files += found
        }
        return files
    }
}
