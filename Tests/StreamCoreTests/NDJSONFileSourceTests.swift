import Foundation
import Testing
@testable import StreamCore

/// The file source gives every line whole, wherever blocks and batches split the file, with its
/// physical line number (the record's offset) and byte offset.
@Suite struct NDJSONFileSourceTests {
    struct Line: Equatable, CustomStringConvertible {
        let text: String
        let number: Int64
        let offset: Int64
        var description: String { "\(number)@\(offset):\(text)" }
    }

    /// Every line of `content`, read in batches of `batch` records.
    func lines(of content: String, blockSize: Int, batch: Int = 2) throws -> (lines: [Line], bytes: Int64) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lines-\(UUID().uuidString).jsonl").path
        try Data(content.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var found: [Line] = []
        let source = try NDJSONFileSource(path: path, blockSize: blockSize)
        while !source.isExhausted {
            let n = try source.read(maxRecords: batch, timeoutMs: 0, lookingAhead: 0, { _ in }) { record in
                found.append(Line(text: String(decoding: record.value, as: UTF8.self), number: record.offset,
                                  offset: source.lineByteOffset))
            }
            #expect(n <= batch)
        }
        return (found, source.bytesRead)
    }

    @Test("lines longer than a block and lines split across blocks come out whole, at every block size")
    func linesSpanningBlocks() throws {
        let long = String(repeating: "x", count: 100)
        let content = "{\"a\":1}\n\(long)\n{\"b\":22}\n"
        let expected = [Line(text: "{\"a\":1}", number: 1, offset: 0),
                        Line(text: long, number: 2, offset: 8),
                        Line(text: "{\"b\":22}", number: 3, offset: 109)]
        for blockSize in [1, 2, 3, 7, 8, 9, 64, 1 << 20] {
            let (found, bytes) = try lines(of: content, blockSize: blockSize, batch: blockSize % 3 + 1)
            #expect(found == expected, "block size \(blockSize)")
            #expect(bytes == Int64(content.utf8.count))
        }
    }

    @Test("the last line needs no newline")
    func lastLineWithoutNewline() throws {
        for blockSize in [1, 4, 4096] {
            #expect(try lines(of: "one\ntwo", blockSize: blockSize).lines
                == [Line(text: "one", number: 1, offset: 0), Line(text: "two", number: 2, offset: 4)])
        }
    }

    @Test("CRLF line ends lose their \\r; a \\r inside a line stays")
    func crlf() throws {
        for blockSize in [1, 5, 4096] {
            #expect(try lines(of: "a\r\nb\rc\r\nd\r", blockSize: blockSize).lines
                == [Line(text: "a", number: 1, offset: 0), Line(text: "b\rc", number: 2, offset: 3),
                    Line(text: "d", number: 3, offset: 8)])
        }
    }

    @Test("empty lines (also a lone \\r) are skipped but still counted, so numbers stay physical")
    func emptyLinesAndNumbers() throws {
        for blockSize in [1, 3, 4096] {
            #expect(try lines(of: "\n\na\n\r\n\nb\n\n", blockSize: blockSize).lines
                == [Line(text: "a", number: 3, offset: 2), Line(text: "b", number: 6, offset: 7)])
        }
        #expect(try lines(of: "", blockSize: 16).lines.isEmpty)
    }

    @Test("a missing file is an error naming it")
    func missingFile() {
        #expect(throws: FileReplayError.self) {
            try NDJSONFileSource(path: "/nonexistent/input.jsonl")
        }
    }
}
