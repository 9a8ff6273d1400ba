/// Why a task cannot start from a checkpoint it found.
public enum CheckpointRestoreError: Error, CustomStringConvertible, Sendable {
    /// Written by an engine with another state layout.
    case unreadableLayout(String, found: Int?)
    /// A stage-2 task's checkpoint names another number of stage-1 tasks than its upstream topic
    /// has partitions now.
    case upstreamTasksChanged(checkpointed: Int, now: Int)

    public var description: String {
        switch self {
        case .unreadableLayout(let path, let found):
            "checkpoint \(path) has state layout \(found.map(String.init) ?? "1"); this engine reads layout "
                + "\(StateKeys.layout): start the job without it (a new checkpoint directory) and replay its input"
        case .upstreamTasksChanged(let checkpointed, let now):
            "the checkpoint holds the watermarks of \(checkpointed) stage-1 tasks, but the source topic has \(now) partitions "
                + "now: a repartitioning job resumes only with the partitions it checkpointed"
        }
    }
}
