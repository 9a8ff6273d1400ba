import Foundation
import StreamCore

/// One `POST /jobs/{id}/savepoints` or `POST /jobs/{id}/stop`, as Flink's asynchronous
/// operations: the answer gives a request id, `GET /jobs/{id}/savepoints/{requestId}` its progress.
public struct SavepointOperation: Codable, Sendable {
    public enum Kind: String, Codable, Sendable {
        /// The job runs on.
        case savepoint
        /// The tasks stop after the savepoint's checkpoint and the job ends FINISHED.
        case stop
    }

    public enum Status: String, Codable, Sendable {
        case inProgress = "IN_PROGRESS", completed = "COMPLETED", failed = "FAILED"
    }

    public var requestId: String
    public var kind: Kind
    /// Stop only: the watermark went to plus infinity and every window fired before the checkpoint.
    public var drain: Bool
    public var status: Status
    public var triggeredAt: Date
    public var completedAt: Date?
    /// The job checkpoint the savepoint copies (set once triggered).
    public var checkpointId: Int64?
    /// The savepoint's directory, once completed: what `fromSavepoint` takes.
    public var location: String?
    public var failureCause: String?

    /// Where the operation stands inside the jobmanager (not in the REST answer).
    enum Step: Sendable {
        /// Waiting for a checkpoint in flight to end, and for every task to run.
        case waiting
        /// Its checkpoint is triggered; a stop also waits for every task to stop.
        case checkpointing
        /// The task checkpoints are being copied, outside the jobmanager's lock.
        case copying
        case done
    }
}

/// Why `POST /jobs/{id}/savepoints` or `/stop` was refused.
public enum SavepointRequestError: Error, Sendable, CustomStringConvertible {
    case unknownJob(String)
    /// The job is not running, or another savepoint of it is in progress.
    case conflict(String)

    public var description: String {
        switch self {
        case .unknownJob(let id): "no job \(id)"
        case .conflict(let why): why
        }
    }
}

/// A savepoint whose checkpoint completed: the copy the jobmanager makes outside its lock.
struct SavepointCopy: Sendable {
    let jobId: String
    let requestId: String
    /// Where the job's task checkpoints live: `<checkpointDir>/<jobId>`.
    let root: String
    let spec: JobSpec
    let parent: String
}
