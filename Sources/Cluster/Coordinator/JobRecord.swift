import Foundation

/// What the jobmanager keeps of a submitted job across its own restarts.
public struct JobRecord: Codable, Sendable {
    public var id: String
    public var name: String
    /// The submitted definition, so a restarted jobmanager (and every taskmanager) parses the same job.
    public var yaml: String
    public var bounded: Bool
    public var state: JobState
    public var submittedAt: Date
    /// Why the job waits or failed.
    public var message: String?
    public var lastCompletedCheckpoint: CompletedCheckpoint?
    public var nextCheckpointId: Int64
    public var restarts: Int

    public struct CompletedCheckpoint: Codable, Sendable {
        public var id: Int64
        public var completedAt: Date
    }
}
