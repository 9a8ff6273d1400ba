/// The best results of one window firing (`TopNSpec`), gathered while its rows are visited in key
/// byte order: candidates sorted by rank, kept to `n` (and to the rows tied with the n-th when
/// ties are kept). A row visited later ranks after the ones it ties with, so equal values keep
/// key byte order. A firing of N rows costs a comparison per row and an insertion per row that
/// enters; only the firing's best rows are ever held.
struct TopRanking {
    struct Candidate {
        /// The ranked value; NaN for null, which ranks after every number.
        var value: Double
        /// The row in the firing window's memory, or -1 when `stored` holds it.
        var row: Int
        var key: Int32
        /// The row's stored encoding, for a row of a spilled window read from the store.
        var stored: [UInt8]
    }

    let n: Int
    let descending: Bool
    let withTies: Bool
    private(set) var candidates: [Candidate] = []

    init(_ spec: TopNSpec) {
        n = spec.n
        descending = spec.descending
        withTies = spec.withTies
    }

    /// Whether `a` ranks strictly before `b`.
    func ranksBefore(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN { return false }
        if b.isNaN { return true }
        return descending ? a > b : a < b
    }

    /// Whether a row with `value`, visited after every candidate, enters the ranking.
    func admits(_ value: Double) -> Bool {
        guard candidates.count >= n else { return true }
        let nth = candidates[n - 1].value
        return ranksBefore(value, nth) || (withTies && !ranksBefore(nth, value))
    }

    /// Adds an admitted row after every candidate that ranks at or before it, then drops what
    /// no longer makes the ranking.
    mutating func insert(_ candidate: Candidate) {
        var i = candidates.count
        while i > 0 && ranksBefore(candidate.value, candidates[i - 1].value) { i -= 1 }
        candidates.insert(candidate, at: i)
        guard candidates.count > n else { return }
        if withTies {
            let nth = candidates[n - 1].value
            while candidates.count > n && ranksBefore(nth, candidates[candidates.count - 1].value) { candidates.removeLast() }
        } else {
            candidates.removeLast(candidates.count - n)
        }
    }
}
