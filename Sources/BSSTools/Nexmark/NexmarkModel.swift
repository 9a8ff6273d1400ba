/// The Nexmark benchmark's data model (Tucker et al.; the nexmark repository's generator): one
/// stream of people opening auctions and bidding on them, in epochs of 50 events, 1 person, 3
/// auctions and 46 bids each. Ids are dense and follow the event number, so any event can be
/// made from its number alone: a run is the same for a seed however it is split.
public enum NexmarkModel {
    static let personProportion = 1
    static let auctionProportion = 3
    static let bidProportion = 46
    static let totalProportion = personProportion + auctionProportion + bidProportion

    public static let firstPersonId: Int64 = 1_000
    public static let firstAuctionId: Int64 = 1_000
    public static let firstCategoryId: Int64 = 10
    static let categories = 5
    /// People a seller or bidder is picked from, the most recent ones; ids ahead of the last one
    /// by up to `idLead` make a person's auction or bid come before the person in a few cases.
    static let activePeople: Int64 = 1_000
    /// Auctions a bid may go to, the most recent ones, plus `idLead` not yet opened.
    static let inFlightAuctions: Int64 = 100
    static let idLead: Int64 = 10
    /// A bid goes to a hot auction with probability 1 - 1/2, is made by a hot bidder with 1 - 1/4;
    /// an auction is opened by a hot seller with 1 - 1/4. Hot ones are the first of each 100.
    static let hotAuctionRatio = 2
    static let hotBidderRatio = 4
    static let hotSellerRatio = 4
    static let hotBatch: Int64 = 100

    public enum Kind: Int, Sendable {
        case person = 0, auction = 1, bid = 2
    }

    static func kind(of event: Int64) -> Kind {
        let offset = Int(event % Int64(totalProportion))
        return offset < personProportion ? .person : offset < personProportion + auctionProportion ? .auction : .bid
    }

    /// The newest person id (from 0) at event `event`: its own when it makes a person.
    static func lastPersonId(at event: Int64) -> Int64 {
        let epoch = event / Int64(totalProportion)
        let offset = min(event % Int64(totalProportion), Int64(personProportion - 1))
        return epoch * Int64(personProportion) + offset
    }

    /// The newest auction id (from 0) at event `event`: its own when it opens an auction.
    static func lastAuctionId(at event: Int64) -> Int64 {
        var epoch = event / Int64(totalProportion)
        var offset = event % Int64(totalProportion)
        if offset < Int64(personProportion) {
            epoch -= 1
            offset = Int64(auctionProportion - 1)
        } else if offset >= Int64(personProportion + auctionProportion) {
            offset = Int64(auctionProportion - 1)
        } else {
            offset -= Int64(personProportion)
        }
        return epoch * Int64(auctionProportion) + offset
    }
}
