import Foundation
import Testing
@testable import BSSTools

/// The Nexmark generator follows the benchmark's data model: 1 person, 3 auctions and 46 bids in
/// every 50 events, dense ids from 1000, bids on recent (and hot) auctions by recent (and hot)
/// people, and the same events for a seed.
@Suite struct NexmarkGeneratorTests {
    private func objects(_ generator: NexmarkGenerator, _ events: Range<Int64>) throws -> [[String: Any]] {
        try events.map { try #require(JSONSerialization.jsonObject(with: Data(generator.line($0).utf8)) as? [String: Any]) }
    }

    @Test func proportionsIdsAndReferencesFollowTheModel() throws {
        let events = try objects(NexmarkGenerator(seed: 7), 0..<5_000)
        let kinds = events.map { $0["event_type"] as! Int }
        #expect(kinds.filter { $0 == 0 }.count == 100 && kinds.filter { $0 == 1 }.count == 300 && kinds.filter { $0 == 2 }.count == 4_600)
        #expect(Array(kinds.prefix(5)) == [0, 1, 1, 1, 2])
        let people = events.compactMap { $0["person"] as? [String: Any] }.map { $0["id"] as! Int }
        let auctions = events.compactMap { $0["auction"] as? [String: Any] }
        #expect(people == Array(1_000..<1_100))
        #expect(auctions.map { $0["id"] as! Int } == Array(1_000..<1_300))
        var lastAuction = 999, hot = 0, bids = 0
        for event in events {
            if let auction = event["auction"] as? [String: Any] {
                lastAuction = auction["id"] as! Int
                #expect((auction["reserve"] as! Int) >= (auction["initialBid"] as! Int))
                #expect((10...14).contains(auction["category"] as! Int))
            }
            guard let bid = event["bid"] as? [String: Any] else { continue }
            bids += 1
            let auction = bid["auction"] as! Int
            #expect(auction <= lastAuction + 10 && auction >= lastAuction - 100, "bid on \(auction), last auction \(lastAuction)")
            if auction % 100 == 0 { hot += 1 }
            #expect((bid["price"] as! Int) >= 100)
            #expect(event["dateTime"] as? String == bid["dateTime"] as? String)
        }
        // Half the bids go to the hot auction of their hundred, a few more by chance.
        #expect(Double(hot) / Double(bids) > 0.45 && Double(hot) / Double(bids) < 0.56)
    }

    @Test func eventTimeFollowsTheRateAndASeedGivesTheSameEvents() throws {
        let generator = NexmarkGenerator(seed: 7, eventsPerSecond: 1_000, baseTimeMs: 0)
        #expect(generator.timeMs(of: 0) == 0 && generator.timeMs(of: 1_500) == 1_500)
        #expect(try objects(generator, 1_500..<1_501).first?["dateTime"] as? String == "1970-01-01T00:00:01.500Z")
        #expect((0..<200).map { NexmarkGenerator(seed: 7).line($0) } == (0..<200).map { NexmarkGenerator(seed: 7).line($0) })
        #expect(NexmarkGenerator(seed: 7).line(4) != NexmarkGenerator(seed: 8).line(4))
    }
}
