import Foundation

/// One output part file, written as `<path>.inprogress` through a large buffer and renamed to
/// `<path>` only once complete and synced (Flink's FileSink pending -> finished), so a file under
/// its final name is always whole; a crashed replay leaves only `.inprogress` files.
final class PartFileWriter {
    let path: String
    private var inProgress: String { path + ".inprogress" }
    private var fd: Int32
    private var buffer: [UInt8] = []
    /// Buffered bytes that trigger a write: few, large `write(2)` calls.
    private let flushBytes: Int

    init(path: String, flushBytes: Int = 4 << 20) throws {
        self.path = path
        self.flushBytes = flushBytes
        fd = open(path + ".inprogress", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileReplayError.cannotWrite(path + ".inprogress", errno) }
        buffer.reserveCapacity(flushBytes + 64 << 10)
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Appends one record value and its newline.
    @inline(__always)
    func appendLine(_ value: UnsafeRawBufferPointer) throws {
        // Typed, so the append is one memcpy rather than a byte-by-byte sequence copy.
        buffer.append(contentsOf: UnsafeBufferPointer(start: value.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                                      count: value.count))
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= flushBytes { try flush() }
    }

    private func flush() throws {
        try buffer.withUnsafeBytes { bytes in
            var done = 0
            while done < bytes.count {
                let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw FileReplayError.cannotWrite(inProgress, errno)
                }
                done += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and syncs it to disk: after this, `publish()` cannot expose a
    /// partial file even after a power loss.
    func seal() throws {
        try flush()
        guard fsync(fd) == 0 else { throw FileReplayError.cannotWrite(inProgress, errno) }
        close(fd)
        fd = -1
    }

    /// Gives the sealed file its final name (replacing one an earlier replay left there).
    func publish() throws {
        guard rename(inProgress, path) == 0 else { throw FileReplayError.cannotWrite(path, errno) }
    }

    /// Drops the unfinished file: a failed replay leaves nothing behind that could be mistaken
    /// for output.
    func discard() {
        if fd >= 0 { close(fd); fd = -1 }
        unlink(inProgress)
    }
}
