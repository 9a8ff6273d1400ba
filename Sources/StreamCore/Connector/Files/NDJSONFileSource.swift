import Foundation

/// A newline-delimited file as a task's source: read in large blocks into one reused buffer, each
/// line handed over in place as one record value (no key), with its line number as its offset.
/// No allocation per line, one `read(2)` per block.
///
/// A line is what lies between two `\n` (the last one may lack it); a trailing `\r` is stripped
/// (CRLF files) and lines left empty are skipped. Line numbers are physical: 1-based and counting
/// the skipped empty lines too, so line n is what `sed -n 'np'` prints.
public final class NDJSONFileSource: RecordSource {
    public let path: String
    private let blockSize: Int
    private let fd: Int32
    /// A line longer than a block grows the buffer; it never shrinks, so the file's longest line
    /// bounds it.
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    /// Bytes in `buffer[0..<filled]`; lines before `lineStart` were handed over.
    private var filled = 0
    private var lineStart = 0
    /// Where the search for the next newline resumes (past `lineStart` when a line is unfinished).
    private var scan = 0
    /// File offset of `buffer[0]`.
    private var bufferOffset: Int64 = 0
    private var lineNumber: Int64 = 0
    private var endOfFile = false
    public private(set) var isExhausted = false
    /// The byte offset in the file of the first byte of the line last handed over.
    public private(set) var lineByteOffset: Int64 = 0

    public convenience init(path: String) throws {
        try self.init(path: path, blockSize: 8 << 20)
    }

    /// `blockSize`: bytes asked of each `read(2)`; tests make it tiny to split lines across blocks.
    init(path: String, blockSize: Int) throws {
        precondition(blockSize > 0)
        // Opened before anything is allocated: a throw from here leaves nothing for deinit.
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileReplayError.cannotRead(path, errno) }
        _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        self.fd = fd
        self.path = path
        self.blockSize = blockSize
        capacity = blockSize
        buffer = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        buffer.deallocate()
        close(fd)
    }

    public var nextOffset: Int64 { lineNumber + 1 }

    /// Bytes read from the file so far.
    public var bytesRead: Int64 { bufferOffset + Int64(filled) }

    /// Files have no keys, so no look-ahead hints; `timeoutMs` does not apply to a file.
    public func read(maxRecords: Int, timeoutMs: Int32, lookingAhead distance: Int,
                     _ ahead: (UnsafeRawBufferPointer?) -> Void, _ body: (SourceRecord) throws -> Void) throws -> Int {
        var handed = 0
        while handed < maxRecords, !isExhausted {
            if let newline = memchr(buffer + scan, Int32(UInt8(ascii: "\n")), filled - scan) {
                let at = buffer.distance(to: newline)
                if try emit(lineStart, at, body) { handed += 1 }
                lineStart = at + 1
                scan = lineStart
            } else if endOfFile {
                if filled > lineStart, try emit(lineStart, filled, body) { handed += 1 }
                lineStart = filled
                isExhausted = true
            } else {
                try fill()
            }
        }
        return handed
    }

    /// Hands over one line (without its newline); false for a line left empty.
    private func emit(_ start: Int, _ end: Int, _ body: (SourceRecord) throws -> Void) throws -> Bool {
        lineNumber += 1
        var end = end
        if end > start && buffer.load(fromByteOffset: end - 1, as: UInt8.self) == UInt8(ascii: "\r") { end -= 1 }
        guard end > start else { return false }
        lineByteOffset = bufferOffset + Int64(start)
        try body(SourceRecord(key: UnsafeRawBufferPointer(start: nil, count: 0),
                              value: UnsafeRawBufferPointer(start: buffer + start, count: end - start), offset: lineNumber))
        return true
    }

    /// Moves the unfinished line to the front and reads the next block after it.
    private func fill() throws {
        if lineStart > 0 {
            memmove(buffer, buffer + lineStart, filled - lineStart)
            bufferOffset += Int64(lineStart)
            filled -= lineStart
            lineStart = 0
        }
        if filled == capacity {
            capacity *= 2
            let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
            grown.copyMemory(from: buffer, byteCount: filled)
            buffer.deallocate()
            buffer = grown
        }
        scan = filled
        while true {
            let n = Foundation.read(fd, buffer + filled, min(blockSize, capacity - filled))
            if n < 0 {
                if errno == EINTR { continue }
                throw FileReplayError.cannotRead(path, errno)
            }
            if n == 0 { endOfFile = true } else { filled += n }
            return
        }
    }
}
