import Foundation
import Testing
@testable import StreamCore

/// The replay's line reader gives every line whole, wherever blocks split the file, with its
/// physical line number and byte offset.
@Suite struct NDJSONLineReaderTests {
    struct Line: Equatable, CustomStringConvertible {
        let text: String
        let number: Int64
        let offset: Int64
        var description: String { "\(number)@\(offset):\(text)" }
    }

    func lines(of content: String, blockSize: Int) throws -> (lines: [Line], bytes: Int64) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lines-\(UUID().uuidString).jsonl").path
        try Data(content.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var found: [Line] = []
        let bytes = try NDJSONLineReader(path: path, blockSize: blockSize).forEachLine { line, number, offset in
            found.append(Line(text: String(decoding: line, as: UTF8.self), number: number, offset: offset))
        }
        return (found, bytes)
    }

    @Test("lines longer than a block and lines split across blocks come out whole, at every block size")
    func linesSpanningBlocks() throws {
        let long = String(repeating: "x", count: 100)
        let content = "{\"a\":1}\n\(long)\n{\"b\":22}\n"
        let expected = [Line(text: "{\"a\":1}", number: 1, offset: 0),
                        Line(text: long, number: 2, offset: 8),
                        Line(text: "{\"b\":22}", number: 3, offset: 109)]
        for blockSize in [1, 2, 3, 7, 8, 9, 64, 1 << 20] {
            let (found, bytes) = try lines(of: content, blockSize: blockSize)
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
            try NDJSONLineReader(path: "/nonexistent/input.jsonl").forEachLine { _, _, _ in }
        }
    }
}
