import Foundation

/// Why a file replay cannot start or did not finish, each with a distinct exit code for scripts.
public enum FileReplayError: Error, CustomStringConvertible, Sendable {
    /// An input path does not exist, or is a directory without NDJSON files.
    case inputMissing(String)
    case cannotRead(String, Int32)
    case outputDirectoryUnwritable(String, String)
    case cannotWrite(String, Int32)
    /// A job that repartitions needs Kafka between its stages.
    case repartitions(job: String, topic: String)

    public var description: String {
        switch self {
        case .inputMissing(let why): "input missing: \(why)"
        case .cannotRead(let path, let code): "cannot read \(path): \(String(cString: strerror(code)))"
        case .outputDirectoryUnwritable(let dir, let why): "output directory \(dir) is not writable: \(why)"
        case .cannotWrite(let path, let code): "cannot write \(path): \(String(cString: strerror(code)))"
        case .repartitions(let job, let topic):
            "job \(job) repartitions through \(topic), which a file replay cannot do: run it on Kafka (`jobmanager run`), "
                + "or replay files already grouped by its keyBy field with `partitionedBy` set to it"
        }
    }

    /// 3 and 5 mean what they mean for `jobmanager run`: no source, nowhere to write.
    public var exitCode: Int32 {
        switch self {
        case .inputMissing, .repartitions: 3
        case .outputDirectoryUnwritable: 5
        case .cannotRead, .cannotWrite: 1
        }
    }
}
