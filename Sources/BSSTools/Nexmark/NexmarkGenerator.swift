import Foundation
import StreamCore

/// Nexmark events as JSON lines (NDJSON), deterministic per seed: `{"event_type":0|1|2,
/// "dateTime":"<RFC 3339>","person"|"auction"|"bid":{...}}`, the one object of the event's kind
/// with the fields of the benchmark's Person, Auction and Bid. Event `n` happens at
/// `baseTimeMs + n * 1000 / eventsPerSecond`.
public struct NexmarkGenerator: Sendable {
    public let seed: UInt64
    public let eventsPerSecond: Int64
    public let baseTimeMs: Int64

    /// 2015-07-15T00:00:00Z, the benchmark's usual start.
    public init(seed: UInt64 = 42, eventsPerSecond: Int64 = 10_000, baseTimeMs: Int64 = 1_436_918_400_000) {
        precondition(eventsPerSecond > 0)
        self.seed = seed
        self.eventsPerSecond = eventsPerSecond
        self.baseTimeMs = baseTimeMs
    }

    public func timeMs(of event: Int64) -> Int64 { baseTimeMs + event * 1_000 / eventsPerSecond }

    public func kind(of event: Int64) -> NexmarkModel.Kind { NexmarkModel.kind(of: event) }

    /// The JSON line (without newline) of event number `event`.
    public func line(_ event: Int64) -> String {
        // Each event's draws from a start of its own, far from its neighbours' in the generator's sequence.
        var mixer = SplitMix64(seed: seed ^ UInt64(bitPattern: event))
        var random = SplitMix64(seed: mixer.next())
        let time = timeMs(of: event), text = RFC3339.format(millis: time)
        let kind = NexmarkModel.kind(of: event)
        let body: String
        switch kind {
        case .person: body = person(event, &random, time: text)
        case .auction: body = auction(event, &random, timeMs: time, time: text)
        case .bid: body = bid(event, &random, time: text)
        }
        return "{\"event_type\":\(kind.rawValue),\"dateTime\":\"\(text)\",\(body)}"
    }

    private static let states = ["AZ", "CA", "ID", "OR", "WA", "WY"]
    private static let cities = ["Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend", "Redmond", "Seattle", "Kent", "Cheyenne"]
    private static let firstNames = ["Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter"]
    private static let lastNames = ["Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris"]
    private static let channels = ["Google", "Facebook", "Baidu", "Apple"]

    private func person(_ event: Int64, _ random: inout SplitMix64, time: String) -> String {
        let id = NexmarkModel.lastPersonId(at: event) + NexmarkModel.firstPersonId
        let name = "\(pick(Self.firstNames, &random)) \(pick(Self.lastNames, &random))"
        let email = "\(letters(7, &random))@\(letters(5, &random)).com"
        let card = (0..<4).map { _ in String(String(random.below(10_000) + 10_000).dropFirst()) }.joined(separator: " ")
        return "\"person\":{\"id\":\(id),\"name\":\"\(name)\",\"emailAddress\":\"\(email)\",\"creditCard\":\"\(card)\","
            + "\"city\":\"\(pick(Self.cities, &random))\",\"state\":\"\(pick(Self.states, &random))\",\"dateTime\":\"\(time)\",\"extra\":\"\"}"
    }

    private func auction(_ event: Int64, _ random: inout SplitMix64, timeMs: Int64, time: String) -> String {
        let id = NexmarkModel.lastAuctionId(at: event) + NexmarkModel.firstAuctionId
        let seller = (random.below(NexmarkModel.hotSellerRatio) > 0
            ? NexmarkModel.lastPersonId(at: event) / NexmarkModel.hotBatch * NexmarkModel.hotBatch
            : activePerson(event, &random)) + NexmarkModel.firstPersonId
        let category = NexmarkModel.firstCategoryId + Int64(random.below(NexmarkModel.categories))
        let initialBid = price(&random), reserve = initialBid + price(&random)
        // Open for about as long as it takes `inFlightAuctions` more auctions to open.
        let horizonMs = NexmarkModel.inFlightAuctions * Int64(NexmarkModel.totalProportion) / Int64(NexmarkModel.auctionProportion)
            * 1_000 / eventsPerSecond
        let expires = timeMs + 1 + Int64(random.below(Int(max(2 * horizonMs, 1))))
        return "\"auction\":{\"id\":\(id),\"itemName\":\"\(letters(20, &random))\",\"description\":\"\(letters(100, &random))\","
            + "\"initialBid\":\(initialBid),\"reserve\":\(reserve),\"dateTime\":\"\(time)\",\"expires\":\"\(RFC3339.format(millis: expires))\","
            + "\"seller\":\(seller),\"category\":\(category),\"extra\":\"\"}"
    }

    private func bid(_ event: Int64, _ random: inout SplitMix64, time: String) -> String {
        let lastAuction = NexmarkModel.lastAuctionId(at: event)
        let auction: Int64
        if random.below(NexmarkModel.hotAuctionRatio) > 0 {
            auction = lastAuction / NexmarkModel.hotBatch * NexmarkModel.hotBatch
        } else {
            let first = max(lastAuction - NexmarkModel.inFlightAuctions, 0)
            auction = first + Int64(random.below(Int(lastAuction - first + 1 + NexmarkModel.idLead)))
        }
        let bidder = (random.below(NexmarkModel.hotBidderRatio) > 0
            ? NexmarkModel.lastPersonId(at: event) / NexmarkModel.hotBatch * NexmarkModel.hotBatch + 1
            : activePerson(event, &random)) + NexmarkModel.firstPersonId
        let channel = pick(Self.channels, &random)
        let url = "https://www.nexmark.com/\(letters(5, &random))/item.htm?query=1&channel_id=\(random.below(1 << 20))"
        return "\"bid\":{\"auction\":\(auction + NexmarkModel.firstAuctionId),\"bidder\":\(bidder),\"price\":\(price(&random)),"
            + "\"channel\":\"\(channel)\",\"url\":\"\(url)\",\"dateTime\":\"\(time)\",\"extra\":\"\"}"
    }

    /// One of the most recent `activePeople`, or a few ids ahead (from 0).
    private func activePerson(_ event: Int64, _ random: inout SplitMix64) -> Int64 {
        let people = NexmarkModel.lastPersonId(at: event) + 1
        let active = min(people, NexmarkModel.activePeople)
        return people - active + Int64(random.below(Int(active + NexmarkModel.idLead)))
    }

    /// Cents, log-uniform from 1.00 to 1,000,000.00 as the benchmark's prices.
    private func price(_ random: inout SplitMix64) -> Int64 {
        Int64((pow(10, random.unit() * 6) * 100).rounded())
    }

    private func pick(_ values: [String], _ random: inout SplitMix64) -> String { values[random.below(values.count)] }

    private func letters(_ n: Int, _ random: inout SplitMix64) -> String {
        String(decoding: (0..<n).map { _ in UInt8(ascii: "a") + UInt8(random.below(26)) }, as: UTF8.self)
    }
}
