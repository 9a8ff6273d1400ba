import BenchSupport
import StreamCore

/// Generated records replayed without end: pass k of the pool has every event time moved k pool
/// spans later, so event time keeps advancing and windows keep closing however long a run lasts
/// (the generator itself is far too slow to feed a broker live). The span runs from the first
/// record's time to the last's, in pool order, plus the mean gap between records: each pass goes
/// on where the previous one stopped, as the generator would have. (Measured from the earliest
/// time, a late record's 20 minutes before the rest, every pass jumped 20 minutes ahead and
/// closed every open window at once.)
struct RecordPool: ReplayedRecords {
    struct Record: Sendable {
        let key: [UInt8]
        let partition: Int32
        /// The value up to and after the `time` string's content; nil time when it did not parse
        /// (bad records are replayed unchanged).
        let head: [UInt8]
        let tail: [UInt8]
        let timeMs: Int64?
    }

    let records: [Record]
    /// Event time covered by one pass.
    let spanMs: Int64

    init(job: BenchJob, count: Int, customers: Int, partitions: Int32) {
        let input = GeneratedInput(job: job, count: count, customers: customers)
        var records: [Record] = []
        var first: Int64?, last: Int64 = 0
        let marker = Array("\"time\":\"".utf8)
        input.forEach { _, key, value in
            let bytes = Array(value)
            let partition = KafkaPartitioner.partition(key: key, partitionCount: partitions)
            guard let at = RecordPool.find(marker, in: bytes), let close = bytes[(at + marker.count)...].firstIndex(of: UInt8(ascii: "\"")),
                  let ms = bytes[(at + marker.count)..<close].withUnsafeBytes({ RFC3339.parseMillis($0) }) else {
                records.append(Record(key: Array(key), partition: partition, head: bytes, tail: [], timeMs: nil))
                return
            }
            if first == nil { first = ms }
            last = ms
            records.append(Record(key: Array(key), partition: partition, head: Array(bytes[..<(at + marker.count)]),
                                  tail: Array(bytes[close...]), timeMs: ms))
        }
        self.records = records
        let inOrder = last - (first ?? last)
        spanMs = inOrder + max(1, inOrder / Int64(max(1, records.count - 1)))
    }

    var count: Int { records.count }
    func key(_ i: Int) -> [UInt8] { records[i].key }
    func partition(_ i: Int) -> Int32 { records[i].partition }

    func value(_ i: Int, pass: Int64, into out: inout [UInt8]) {
        let r = records[i]
        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: r.head)
        if let ms = r.timeMs {
            out.append(contentsOf: RFC3339.format(millis: ms + pass * spanMs).utf8)
            out.append(contentsOf: r.tail)
        }
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        for i in 0...(bytes.count - needle.count) where bytes[i] == needle[0] && Array(bytes[i..<(i + needle.count)]) == needle {
            return i
        }
        return nil
    }
}
