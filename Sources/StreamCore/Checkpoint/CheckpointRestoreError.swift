/// Why a task cannot start from a checkpoint it found.
public enum CheckpointRestoreError: Error, CustomStringConvertible, Sendable {
    /// Written by an engine with another state layout.
    case unreadableLayout(String, found: Int?)

    public var description: String {
        switch self {
        case .unreadableLayout(let path, let found):
            "checkpoint \(path) has state layout \(found.map(String.init) ?? "1"); this engine reads layout "
                + "\(StateKeys.layout): start the job without it (a new checkpoint directory) and replay its input"
        }
    }
}
