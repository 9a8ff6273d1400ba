import Foundation

/// Reads a newline-delimited file in large blocks into one reused buffer and hands each line to a
/// closure in place: no allocation per line, one `read(2)` per block.
///
/// A line is what lies between two `\n` (the last one may lack it); a trailing `\r` is stripped
/// (CRLF files) and lines left empty are skipped. Line numbers are physical: 1-based and counting
/// the skipped empty lines too, so line n is what `sed -n 'np'` prints.
public struct NDJSONLineReader: Sendable {
    public let path: String
    let blockSize: Int

    public init(path: String) {
        self.init(path: path, blockSize: 8 << 20)
    }

    /// `blockSize`: bytes asked of each `read(2)`; tests make it tiny to split lines across blocks.
    init(path: String, blockSize: Int) {
        precondition(blockSize > 0)
        self.path = path
        self.blockSize = blockSize
    }

    /// Calls `body` with each non-empty line's bytes (valid only during the call), its line number
    /// and the byte offset of its first byte in the file. Returns the bytes read.
    @discardableResult
    public func forEachLine(_ body: (_ line: UnsafeRawBufferPointer, _ number: Int64, _ offset: Int64) throws -> Void) throws -> Int64 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileReplayError.cannotRead(path, errno) }
        defer { close(fd) }
        _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))

        // A line longer than a block grows the buffer; it never shrinks, so the file's longest
        // line bounds it.
        var capacity = blockSize
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var filled = 0              // bytes in buffer[0..<filled]
        var bufferOffset: Int64 = 0 // file offset of buffer[0]
        var lineNumber: Int64 = 0

        func emit(_ start: Int, _ end: Int) throws {
            lineNumber += 1
            var end = end
            if end > start && buffer.load(fromByteOffset: end - 1, as: UInt8.self) == UInt8(ascii: "\r") { end -= 1 }
            if end > start {
                try body(UnsafeRawBufferPointer(start: buffer + start, count: end - start), lineNumber, bufferOffset + Int64(start))
            }
        }

        while true {
            if filled == capacity {
                capacity *= 2
                let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
                grown.copyMemory(from: buffer, byteCount: filled)
                buffer.deallocate()
                buffer = grown
            }
            let n = read(fd, buffer + filled, min(blockSize, capacity - filled))
            if n < 0 {
                if errno == EINTR { continue }
                throw FileReplayError.cannotRead(path, errno)
            }
            if n == 0 {
                if filled > 0 { try emit(0, filled) }
                return bufferOffset + Int64(filled)
            }
            var lineStart = 0
            var scan = filled
            filled += n
            while scan < filled, let newline = memchr(buffer + scan, Int32(UInt8(ascii: "\n")), filled - scan) {
                let at = buffer.distance(to: newline)
                try emit(lineStart, at)
                lineStart = at + 1
                scan = lineStart
            }
            // The unfinished last line moves to the front, to be completed by the next block.
            if lineStart > 0 {
                memmove(buffer, buffer + lineStart, filled - lineStart)
                bufferOffset += Int64(lineStart)
                filled -= lineStart
            }
        }
    }
}
