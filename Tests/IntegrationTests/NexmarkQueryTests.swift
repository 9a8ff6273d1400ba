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
    /// 20,000 events at one per second from 05:00 UTC: bids from night into day, and pauses
    /// between one bidder's bids longer than a session gap.
    static let slowEvents = (0..<20_000).map {
        NexmarkGenerator(seed: 7, eventsPerSecond: 1, baseTimeMs: 1_436_936_400_000).line(Int64($0))
    }
    static var bids: [Object] { bids(of: events) }
    static func bids(of events: [String]) -> [Object] {
        events.compactMap { line in
            let event = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! Object
            return event["event_type"] as? Int == 2 ? event["bid"] as? Object : nil
        }
    }

    /// Replays `examples/nexmark/<query>.yaml` over `events`; its output records, parsed.
    func replay(_ query: String, over events: [String] = events) throws -> [Object] {
        try lines(query, over: events).map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! Object }
    }

    /// The output lines of `query` replayed over `events`.
    func lines(_ query: String, over events: [String] = events) throws -> [Substring] {
        let dir = temporaryDirectory("nexmark-\(query)")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = "\(dir)/events.jsonl"
        try (events.joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let jobs = try JobDefinitionLoader.load(path: "\(packageRoot)/examples/nexmark/\(query).yaml")
        let summary = try FileReplayRunner(jobs: jobs, inputs: [input], outputDir: "\(dir)/out").run()
        #expect(summary.recordsIn == Int64(events.count) && summary.badRecords == 0 && summary.lateRecords == 0)
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

    /// Epoch milliseconds of the RFC 3339 time `text` ("2015-07-15T05:00:00.000Z").
    static func millis(_ text: Any?) -> Int64 {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return Int64((formatter.date(from: text as! String)!.timeIntervalSince1970 * 1000).rounded())
    }

    @Test("q11 counts each bidder's bids per session, a session ending 10 s after the bidder's last bid")
    func q11() throws {
        var expected: [String] = []
        var byBidder: [Int: [Int64]] = [:]
        for bid in Self.bids(of: Self.slowEvents) { byBidder[bid["bidder"] as! Int, default: []].append(Self.millis(bid["dateTime"])) }
        for (bidder, times) in byBidder {
            var start = times[0], last = times[0], count = 0
            for t in times.sorted() {
                if t > last + 10_000 {
                    expected.append("\(bidder) \(start) \(last + 10_000) \(count)")
                    start = t
                    count = 0
                }
                last = t
                count += 1
            }
            expected.append("\(bidder) \(start) \(last + 10_000) \(count)")
        }
        #expect(expected.count > byBidder.count)
        let out = try replay("q11", over: Self.slowEvents).map { record in
            "\(record["bidder"]!) \(Self.millis(record["windowStart"])) \(Self.millis(record["windowEnd"])) \(record["bidCount"]!)"
        }
        #expect(out.sorted() == expected.sorted())
    }

    @Test("q5 names, per 10 s window every 2 s, the auctions with the most bids (every one tied for the most)",
          arguments: [false, true])
    func q5(slow: Bool) throws {
        let events = slow ? Self.slowEvents : Self.events
        var counts: [Int64: [Int: Int]] = [:]
        for bid in Self.bids(of: events) {
            let lastStart = Self.millis(bid["dateTime"]) / 2_000 * 2_000
            for start in stride(from: lastStart - 8_000, through: lastStart, by: 2_000) {
                counts[start, default: [:]][bid["auction"] as! Int, default: 0] += 1
            }
        }
        var expected: [String] = []
        for (start, auctions) in counts {
            let most = auctions.values.max()!
            for (auction, n) in auctions where n == most { expected.append("\(start) \(auction) \(n)") }
        }
        // At one event per second windows hold few bids, and several auctions tie for the most.
        #expect(counts.count >= 5 && (!slow || expected.count > counts.count), "\(counts.count) windows, \(expected.count) results")
        let out = try replay("q5", over: events)
        #expect(out.map { "\(Self.millis($0["windowStart"])) \($0["auction"]!) \($0["num"]!)" }.sorted() == expected.sorted())
        // Within a window, the tied auctions are ranked 1, 2, ... in the key's text order.
        let windows = Dictionary(grouping: out) { $0["windowStart"] as! String }
        for (_, results) in windows {
            #expect(results.map { $0["rank"] as! Int } == Array(1...results.count))
            let auctions = results.map { $0["auction"] as! String }
            #expect(auctions == auctions.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        }
    }

    @Test("q14 keeps bids of 1M to 50M euros, with the time of day and the count of 'c' in extra")
    func q14() throws {
        let expected: [String] = Self.bids(of: Self.slowEvents).compactMap { bid in
            let price = 0.908 * Double(bid["price"] as! Int)
            guard price > 1_000_000 && price < 50_000_000 else { return nil }
            let hour = Int(Self.millis(bid["dateTime"]) / 3_600_000 % 24)
            let type = (8...18).contains(hour) ? "dayTime" : (hour <= 6 || hour >= 20) ? "nightTime" : "otherTime"
            let c = (bid["extra"] as! String).filter { $0 == "c" }.count
            return "\(bid["auction"]!) \(bid["bidder"]!) \(type) \(c)"
        }
        #expect(Set(expected.map { $0.split(separator: " ")[2] }) == ["nightTime", "otherTime", "dayTime"])
        let out = try replay("q14", over: Self.slowEvents).map { record in
            "\(Self.bid(record)["auction"]!) \(Self.bid(record)["bidder"]!) \(record["bidTimeType"]!) \(record["cCounts"]!)"
        }
        #expect(out == expected)
    }

    @Test("q15 counts a day's bids, distinct bidders and distinct auctions, in total and per price rank")
    func q15() throws {
        let bids = Self.bids
        let ranks: [(String, (Int) -> Bool)] = [("total", { _ in true }), ("rank1", { $0 < 10_000 }),
                                               ("rank2", { $0 >= 10_000 && $0 < 1_000_000 }), ("rank3", { $0 >= 1_000_000 })]
        var expected: [String: Int] = [:]
        for (rank, holds) in ranks {
            let matching = bids.filter { holds($0["price"] as! Int) }
            expected["\(rank)Bids"] = matching.count
            expected["\(rank)Bidders"] = Set(matching.map { $0["bidder"] as! Int }).count
            expected["\(rank)Auctions"] = Set(matching.map { $0["auction"] as! Int }).count
        }
        let out = try replay("q15")
        #expect(out.count == 1)
        let day = try #require(out.first)
        #expect(day["windowStart"] as? String == "2015-07-15T00:00:00.000Z")
        #expect(Dictionary(uniqueKeysWithValues: expected.keys.map { ($0, day[$0] as? Int ?? -1) }) == expected)
        #expect(expected["rank1Bidders"]! < expected["totalBidders"]!)
    }
}
