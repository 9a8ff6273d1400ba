import Foundation

/// A savepoint: the latest checkpoint of every task of a job, copied to
/// `<parent>/sp-<n>/task-<partition>` (`stage-<n>-task-<partition>` in a job that repartitions)
/// with a manifest, kept until deleted (`parent` defaults to
/// `<root>/savepoints/<job>`). Taken after the tasks' last checkpoint, with no newer one under
/// way, so every partition's state, offsets and output sequence numbers are where it was taken.
public enum Savepoint {
    /// Copies the job's latest task checkpoints under `<root>/<job>` into a new savepoint; returns its directory.
    public static func take(root: String, job: JobSpec, into parent: String? = nil) throws -> String {
        let fm = FileManager.default
        let parent = parent ?? "\(root)/savepoints/\(job.name)"
        try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        let taken = ((try? fm.contentsOfDirectory(atPath: parent)) ?? []).compactMap { $0.hasPrefix("sp-") ? Int($0.dropFirst(3)) : nil }
        let dir = "\(parent)/sp-\((taken.max() ?? 0) + 1)"
        let staging = "\(dir).inprogress"
        try? fm.removeItem(atPath: staging)
        var tasks: [SavepointManifest.Task] = []
        let stages = job.stages
        for (s, stage) in stages.enumerated() {
            let partitions = ((try? fm.contentsOfDirectory(atPath: "\(root)/\(stage.checkpointName)")) ?? [])
                .compactMap { $0.hasPrefix("task-") ? Int32($0.dropFirst(5)) : nil }.sorted()
            for p in partitions {
                let task = TaskCheckpointDirectory(root: root, job: stage.checkpointName, partition: p)
                guard let id = task.checkpointIds().last, let metadata = try task.metadata(id) else {
                    throw SavepointError.noCheckpoint(task.path)
                }
                let entry = SavepointManifest.Task(partition: p, checkpointId: id, nextOffset: metadata.nextOffset,
                                                   stage: stages.count > 1 ? s : nil)
                try copyStore(task.checkpointPath(id), to: "\(staging)/\(entry.directoryName)")
                tasks.append(entry)
            }
        }
        let manifest = SavepointManifest(job: job, tasks: tasks, createdAtMs: WallClock.nowMs())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(manifest).write(to: URL(fileURLWithPath: "\(staging)/\(SavepointManifest.fileName)"))
        try fm.moveItem(atPath: staging, toPath: dir)
        return dir
    }

    /// What a restore did: the steps whose state was dropped (allowed by `allowNonRestoredState`).
    public struct Restored: Sendable, Equatable {
        public var droppedSteps: [String]
        public var tasks: [SavepointManifest.Task]
    }

    /// Checks `job` against the savepoint at `dir` (nothing is written when it is refused), then
    /// installs each partition's state as its task's newest checkpoint, so the tasks resume from it.
    /// With `partitions` (of every topic), a stage's source topic of another partition count is
    /// refused: keys would move.
    public static func restore(from dir: String, into root: String, job: JobSpec, partitions: [String: Int32]? = nil,
                               allowNonRestoredState: Bool) throws -> Restored {
        let manifest = try SavepointManifest.read(dir)
        guard manifest.job.name == job.name else { throw SavepointError.otherJob(job.name, savepointJob: manifest.job.name) }
        let stages = job.stages
        let savedStages = manifest.job.stages.count
        guard savedStages == stages.count else { throw SavepointError.otherStages(savepointStages: savedStages, stages: stages.count) }
        for (s, stage) in stages.enumerated() {
            let saved = manifest.tasks.filter { ($0.stage ?? 0) == s }
            if let count = partitions?[stage.source.topic], Set(saved.map(\.partition)) != Set(0..<count) {
                throw SavepointError.otherPartitions(topic: stage.source.topic, partitions: count, savepointTasks: saved.count)
            }
        }
        var stateful = Set<String>()
        for task in manifest.tasks {
            let store = try RocksDBStore(path: "\(dir)/\(task.directoryName)", blockCacheBytes: 1 << 20)
            defer { store.close() }
            stateful.formUnion(try StateNamespace.stepIds(in: store))
        }
        let unclaimed = try SavepointCompatibility.check(old: manifest.job, new: job, statefulSteps: stateful.sorted())
        if !unclaimed.isEmpty && !allowNonRestoredState { throw SavepointError.nonRestoredState(steps: unclaimed) }
        for task in manifest.tasks {
            let directory = TaskCheckpointDirectory(root: root, job: stages[task.stage ?? 0].checkpointName, partition: task.partition)
            try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
            // Under its own id where the directory allows, so a jobmanager's next checkpoint id follows it.
            let target = directory.checkpointPath(max(task.checkpointId, (directory.checkpointIds().last ?? -1) + 1))
            let staging = "\(directory.path)/.savepoint-inprogress"
            try? FileManager.default.removeItem(atPath: staging)
            try copyStore("\(dir)/\(task.directoryName)", to: staging)
            if !unclaimed.isEmpty {
                let store = try RocksDBStore(path: staging, blockCacheBytes: 1 << 20)
                let batch = RocksDBWriteBatch()
                for step in unclaimed {
                    let namespace = StateNamespace(stepId: step).bytes
                    batch.deleteRange(from: namespace, to: RocksDBStore.prefixSuccessor(namespace))
                }
                do { try store.write(batch) } catch { store.close(); throw error }
                store.close()
            }
            try FileManager.default.moveItem(atPath: staging, toPath: target)
        }
        return Restored(droppedSteps: unclaimed, tasks: manifest.tasks)
    }

    /// A copy of a RocksDB checkpoint: SST files hard-linked (immutable), the rest copied.
    private static func copyStore(_ source: String, to target: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: target, withIntermediateDirectories: true)
        for name in try fm.contentsOfDirectory(atPath: source) {
            let from = "\(source)/\(name)", to = "\(target)/\(name)"
            if name.hasSuffix(".sst"), link(from, to) == 0 { continue }
            try fm.copyItem(atPath: from, toPath: to)
        }
    }
}
