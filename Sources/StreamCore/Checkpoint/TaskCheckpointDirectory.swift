import Foundation

/// A task's checkpoints under `<root>/<job>/task-<partition>/chk-<id>`, each a RocksDB
/// checkpoint that holds the state and its metadata. A checkpoint exists once its directory
/// has its final name: it is built under a temporary name and renamed.
public struct TaskCheckpointDirectory: Sendable {
    public let path: String
    public let retained: Int

    public init(root: String, job: String, partition: Int32, retained: Int = 3) {
        path = "\(root)/\(job)/task-\(partition)"
        self.retained = retained
    }

    /// Completed checkpoint ids, oldest first.
    public func checkpointIds() -> [Int64] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.compactMap { name in
            name.hasPrefix("chk-") ? Int64(name.dropFirst(4)) : nil
        }.sorted()
    }

    public func checkpointPath(_ id: Int64) -> String { "\(path)/chk-\(id)" }

    /// Bytes of checkpoint `id` on disk (SST files shared with other checkpoints included).
    public func bytes(of id: Int64) -> Int64 {
        let dir = checkpointPath(id)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.reduce(0) { total, name in
            let size = (try? FileManager.default.attributesOfItem(atPath: "\(dir)/\(name)")[.size] as? NSNumber)?.int64Value
            return total + (size ?? 0)
        }
    }

    /// Reads a checkpoint's metadata without keeping its store open.
    public func metadata(_ id: Int64) throws -> TaskCheckpointMetadata? {
        let store = try RocksDBStore(path: checkpointPath(id), blockCacheBytes: 1 << 20)
        defer { store.close() }
        return try store.get(StateKeys.metadata).map(TaskCheckpointMetadata.decode)
    }

    /// Snapshots `store` as checkpoint `id`, then deletes checkpoints beyond the retained count,
    /// except `keeping` (the one a transactional restart would go back to).
    public func publish(_ store: RocksDBStore, id: Int64, keeping: Int64? = nil) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let staging = "\(path)/.chk-\(id)-inprogress"
        try? FileManager.default.removeItem(atPath: staging)
        try store.createCheckpoint(at: staging)
        try FileManager.default.moveItem(atPath: staging, toPath: checkpointPath(id))
        for old in checkpointIds().dropLast(retained) where old != keeping {
            try? FileManager.default.removeItem(atPath: checkpointPath(old))
        }
    }

    /// The attempt number of a new run of this task (1 for the first), persisted.
    public func nextAttempt() throws -> Int {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let previous = lastAttempt()
        try String(previous + 1).write(toFile: "\(path)/ATTEMPT", atomically: true, encoding: .utf8)
        return previous + 1
    }

    /// The number of the latest run of this task that started (0: none).
    public func lastAttempt() -> Int {
        (try? String(contentsOfFile: "\(path)/ATTEMPT", encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
    }

    /// A fresh working store for an attempt: a copy of checkpoint `id` (SST files hard-linked,
    /// they are immutable), or an empty directory.
    public func prepareWorkingStore(attempt: Int, from id: Int64?) throws -> String {
        let work = "\(path)/work-\(attempt)"
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: path)) ?? [] where name.hasPrefix("work-") || name.hasPrefix(".chk-") {
            try? fm.removeItem(atPath: "\(path)/\(name)")
        }
        try fm.createDirectory(atPath: work, withIntermediateDirectories: true)
        guard let id else { return work }
        let source = checkpointPath(id)
        for name in try fm.contentsOfDirectory(atPath: source) {
            let from = "\(source)/\(name)", to = "\(work)/\(name)"
            if name.hasSuffix(".sst"), link(from, to) == 0 { continue }
            try fm.copyItem(atPath: from, toPath: to)
        }
        return work
    }
}
