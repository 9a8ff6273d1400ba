import Foundation
import Synchronization

/// Named steps where a test can have this process killed with SIGKILL, to prove recovery from a
/// crash at exactly that step. Armed by `STREAM_CRASH_AT=<point>:<n>[:<tasks>]`: the n-th time
/// (default 1) a task reaches the point, any task or only those whose checkpoints are under
/// `<tasks>` (`order-fraud.stage-2`: a stage of a repartitioning job). Unarmed it costs one comparison.
public enum CrashPoint: String, Sendable, CaseIterable {
    /// A checkpoint starts; records produced since the last one may be unacknowledged.
    case checkpointStart = "checkpoint-start"
    /// Output acknowledged by the broker; state not yet written.
    case checkpointFlushed = "checkpoint-flushed"
    /// State and positions written to the working store; checkpoint not yet published.
    case checkpointStateWritten = "checkpoint-state-written"
    /// Checkpoint published.
    case checkpointPublished = "checkpoint-published"
    /// Records handed to the producer, not yet acknowledged.
    case outputProduced = "output-produced"

    private static let armed: (point: CrashPoint, n: Int, tasks: String?)? = {
        guard let spec = ProcessInfo.processInfo.environment["STREAM_CRASH_AT"] else { return nil }
        let parts = spec.split(separator: ":")
        guard let point = parts.first.flatMap({ CrashPoint(rawValue: String($0)) }) else { return nil }
        return (point, parts.count > 1 ? Int(parts[1]) ?? 1 : 1, parts.count > 2 ? String(parts[2]) : nil)
    }()
    private static let hits = Mutex(0)

    /// `task`: the checkpoint name (`JobSpec.checkpointName`) of the task that reached it.
    @inline(__always)
    public static func reached(_ point: CrashPoint, task: @autoclosure () -> String) {
        guard let (armedPoint, n, tasks) = armed, armedPoint == point else { return }
        if let tasks, tasks != task() { return }
        let count = hits.withLock { hits in
            hits += 1
            return hits
        }
        if count == n { kill(getpid(), SIGKILL) }
    }
}
