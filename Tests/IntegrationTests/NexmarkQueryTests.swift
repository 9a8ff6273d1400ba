import BSSTools
import Foundation
import Jobs
import StreamCore
import TestSupport
import Testing

/// The Nexmark queries of `examples/nexmark/`, replayed over generated events, against a model of
/// each query written here from its Flink SQL (JSON parsed by Foundation, strings by Swift).
@Suite struct NexmarkQueryTests {
    typealias Object = [String: Any]

    /// 20,000 events (18,400 bids) and the bids the model reads.
    static let events = (0..<20_000).map { NexmarkGenerator(seed: 7).line(Int64($0)) }
    static var bids: [Object] {
        events.compactMap { line in
            let event = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! Object
            return event["event_type"] as? Int == 2 ? event["bid"] as? Object : nil
        }
    }

    /// Replays `examples/nexmark/<query>.yaml` over the events; its output records, parsed.
    func replay(_ query: String) throws -> [Object] {
        try lines(query).map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! Object }
    }

    /// The output lines of `query` replayed over the events.
    func lines(_ query: String) throws -> [Substring] {
        let dir = temporaryDirectory("nexmark-\(query)")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = "\(dir)/events.jsonl"
        try (Self.events.joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let jobs = try JobDefinitionLoader.load(path: "\(packageRoot)/examples/nexmark/\(query).yaml")
        let summary = try FileReplayRunner(jobs: jobs, inputs: [input], outputDir: "\(dir)/out").run()
        #expect(summary.recordsIn == Int64(Self.events.count) && summary.badRecords == 0)
        let text = try String(contentsOfFile: "\(dir)/out/nexmark.\(query)/part-nexmark-\(query)-0.jsonl", encoding: .utf8)
        return text.split(separator: "\n")
    }

    static func bid(_ record: Object) -> Object { record["bid"] as! Object }

    @Test("q0 passes every bid through unchanged")
    func q0() throws {
        let out = try replay("q0")
        #expect(out.count == Self.bids.count)
        #expect(out.map { NSDictionary(dictionary: Self.bid($0)) } == Self.bids.map { NSDictionary(dictionary: $0) })
    }

    @Test("q1 adds each bid's price in euros, 0.908 times its price")
    func q1() throws {
        let out = try replay("q1")
        #expect(out.map { Self.bid($0)["auction"] as! Int } == Self.bids.map { $0["auction"] as! Int })
        // Read from the text by Swift's exact parser: Foundation's JSON numbers may lose the last digit.
        let prices = try lines("q1").map { line in Double(line.split(separator: ":").last!.dropLast()) }
        #expect(prices == Self.bids.map { 0.908 * Double($0["price"] as! Int) })
    }

    @Test("q2 keeps the bids on auctions whose id is a multiple of 123")
    func q2() throws {
        let out = try replay("q2")
        let expected = Self.bids.filter { ($0["auction"] as! Int) % 123 == 0 }
        #expect(expected.count > 10)
        #expect(out.map { [Self.bid($0)["auction"] as! Int, Self.bid($0)["price"] as! Int] }
            == expected.map { [$0["auction"] as! Int, $0["price"] as! Int] })
    }

    @Test("q21 gives each bid the id of its channel, by name for the four known ones, else from the url")
    func q21() throws {
        let known = ["apple": "0", "google": "1", "facebook": "2", "baidu": "3"]
        let expected: [(Int, String)] = Self.bids.compactMap { bid in
            let channel = (bid["channel"] as! String).lowercased()
            let fromURL = (bid["url"] as! String).split(separator: "?").last?.split(separator: "&")
                .first { $0.hasPrefix("channel_id=") }.map { String($0.dropFirst("channel_id=".count)) }
            return (known[channel] ?? fromURL).map { (bid["auction"] as! Int, $0) }
        }
        let out = try replay("q21")
        #expect(out.map { "\(Self.bid($0)["auction"]!) \($0["channelId"]!)" } == expected.map { "\($0.0) \($0.1)" })
    }

    @Test("q22 splits each bid's url at '/' into its pieces 3, 4 and 5 (null past the last)")
    func q22() throws {
        let expected: [[String?]] = Self.bids.map { bid in
            let pieces = (bid["url"] as! String).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            return [3, 4, 5].map { $0 < pieces.count ? pieces[$0] : nil }
        }
        #expect(expected.contains { $0[2] == nil })
        let out = try replay("q22")
        #expect(out.map { record in ["dir1", "dir2", "dir3"].map { record[$0] as? String } } == expected)
    }
}
