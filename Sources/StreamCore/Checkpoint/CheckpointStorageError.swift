import Foundation

/// A task's checkpoint storage failed under it: the disk is full, or the directory is read-only
/// or not writable. Names the task's checkpoint directory and the operating system's reason, so
/// an operator knows what to free or fix. The task fails and restarts from its last published
/// checkpoint; a checkpoint that could not be written completely was never published.
public struct CheckpointStorageError: Error, Sendable, CustomStringConvertible {
    public let path: String
    /// The operating system's words, e.g. "No space left on device".
    public let cause: String
    /// What failed, as the layer that saw it said it.
    public let detail: String

    public var description: String { "checkpoint storage \(path): \(cause) (\(detail))" }

    /// Errors of the storage rather than of the engine: what an operator must fix on the machine.
    static let storageErrnos: [Int32] = [ENOSPC, EDQUOT, EROFS, EACCES, EPERM, EIO]

    /// `error` as a fault of the storage under `path`, when an operating-system storage error
    /// caused it (RocksDB's message or Foundation's underlying POSIX error says which); else nil.
    public static func classify(_ error: Error, path: String) -> CheckpointStorageError? {
        if let known = error as? CheckpointStorageError { return known }
        if let rocks = error as? RocksDBError {
            // RocksDB passes the OS's text through: "IO error: No space left on device: While appending to file: ...".
            for code in storageErrnos {
                let text = String(cString: strerror(code))
                if rocks.message.contains(text) { return CheckpointStorageError(path: path, cause: text, detail: "RocksDB \(rocks.message)") }
            }
            return nil
        }
        guard let code = posixCode(error as NSError), storageErrnos.contains(code) else { return nil }
        return CheckpointStorageError(path: path, cause: String(cString: strerror(code)), detail: error.localizedDescription)
    }

    /// The POSIX error behind a Foundation file error, itself or its underlying error.
    private static func posixCode(_ error: NSError) -> Int32? {
        if error.domain == NSPOSIXErrorDomain { return Int32(error.code) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return Int32(underlying.code)
        }
        guard error.domain == NSCocoaErrorDomain else { return nil }
        switch CocoaError.Code(rawValue: error.code) {
        case .fileWriteOutOfSpace: return ENOSPC
        case .fileWriteVolumeReadOnly: return EROFS
        case .fileWriteNoPermission: return EACCES
        default: return nil
        }
    }
}
