import Foundation

/// A small tmpfs mounted for a test, standing for a checkpoint disk that fills up. Mounting
/// needs root (or CAP_SYS_ADMIN): without it the test fails saying so, it does not pass.
public final class Tmpfs: @unchecked Sendable {
    public let path: String
    private var filler: String { "\(path)/.filler" }

    public init(sizeMB: Int) throws {
        path = temporaryDirectory("tmpfs")
        let (status, output) = Tmpfs.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(sizeMB)m", "tmpfs", path])
        guard status == 0 else {
            throw TestFailure("cannot mount a tmpfs at \(path) (this test needs root or CAP_SYS_ADMIN to make a disk fill up): "
                + "mount exited \(status): \(output)")
        }
    }

    /// Writes to a file until the disk is full: another writer took all the space (again, if
    /// some was freed since).
    public func fill() throws {
        let fd = open(filler, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else { throw TestFailure("cannot create \(filler): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0x5a, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == ENOSPC { return }
            if n < 0 { throw TestFailure("filling \(path): \(String(cString: strerror(errno)))") }
        }
    }

    /// Keeps the disk full until the returned task is cancelled: whatever space the engine frees
    /// (a failed attempt's files) is taken again at once.
    public func keepFull() -> Task<Void, Never> {
        Task.detached { [self] in
            while !Task.isCancelled {
                try? fill()
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
    }

    /// Deletes what `fill()` wrote: the operator freed the space.
    public func free() throws {
        try FileManager.default.removeItem(atPath: filler)
    }

    public func unmount() {
        _ = Tmpfs.run("/bin/umount", ["-l", path])
        try? FileManager.default.removeItem(atPath: path)
    }

    private static func run(_ tool: String, _ arguments: [String]) -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (-1, "\(error)") }
        process.waitUntilExit()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
