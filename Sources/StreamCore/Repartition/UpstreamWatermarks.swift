/// A stage-2 task's event time: the latest watermark each stage-1 task wrote into its partition,
/// and their minimum, which is the task's watermark (Flink's rule for an operator with several
/// inputs). A stage-1 task that wrote nothing yet holds it at minus infinity; a slow one holds it
/// back. Part of the task's checkpoint.
final class UpstreamWatermarks {
    private var latest: [Int64]
    private(set) var minimum = PartitionWatermark.minusInfinity

    init(upstreamTasks: Int) {
        latest = [Int64](repeating: PartitionWatermark.minusInfinity, count: upstreamTasks)
    }

    var upstreamTasks: Int { latest.count }

    /// Every stage-1 task has ended its input (plus infinity from each).
    var allEnded: Bool { minimum == PartitionWatermark.plusInfinity }

    /// Takes upstream `task`'s watermark; returns the new minimum when it rose. A task index past
    /// the upstream partitions is not a record this task can use, and is refused.
    func update(task: Int32, watermark: Int64) -> Int64? {
        guard task >= 0, Int(task) < latest.count else { return nil }
        guard watermark > latest[Int(task)] else { return nil }
        latest[Int(task)] = watermark
        let m = latest.min()!
        guard m > minimum else { return nil }
        minimum = m
        return m
    }

    /// Each upstream task's latest watermark, for a checkpoint.
    func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.append(UInt32(latest.count))
        for value in latest { w.append(value) }
        return w.bytes
    }

    /// Restores what `encoded()` wrote; a checkpoint of another upstream partition count is refused.
    func restore(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            var r = ByteReader(raw)
            let count = Int(r.read(UInt32.self))
            guard count == latest.count, raw.count == 4 + 8 * count else {
                throw CheckpointRestoreError.upstreamTasksChanged(checkpointed: count, now: latest.count)
            }
            for i in 0..<count { latest[i] = r.read(Int64.self) }
        }
        minimum = latest.min() ?? PartitionWatermark.minusInfinity
    }
}
