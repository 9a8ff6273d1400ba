import Foundation

/// Records written per output stream.
public struct StreamCounts: Sendable, Equatable {
    public var result: Int64 = 0
    public var alert: Int64 = 0
    public var late: Int64 = 0
    public var deadLetter: Int64 = 0

    public init() {}

    public var total: Int64 { result + alert + late + deadLetter }

    static func + (a: StreamCounts, b: StreamCounts) -> StreamCounts {
        var sum = a
        sum.result += b.result
        sum.alert += b.alert
        sum.late += b.late
        sum.deadLetter += b.deadLetter
        return sum
    }
}

/// What one replay task (one job over one file) did.
public struct FileReplayTaskSummary: Sendable {
    public var job: String
    public var file: String
    public var taskIndex: Int
    /// Non-empty lines read: each is one record.
    public var recordsIn: Int64
    public var badRecords: Int64
    public var lateRecords: Int64
    public var out: StreamCounts
    public var bytesIn: Int64
    /// From opening the file to the output files published.
    public var wallSeconds: Double
    /// CPU time of the thread that ran the task, over the same span.
    public var cpuSeconds: Double

    public var eventsPerSecond: Double { wallSeconds > 0 ? Double(recordsIn) / wallSeconds : 0 }
}

/// What a whole replay did: every task, and their totals over the replay's wall time.
public struct FileReplaySummary: Sendable {
    public var tasks: [FileReplayTaskSummary]
    public var slots: Int
    /// From the first task's start to the last task's end.
    public var wallSeconds: Double

    public var recordsIn: Int64 { tasks.reduce(0) { $0 + $1.recordsIn } }
    public var badRecords: Int64 { tasks.reduce(0) { $0 + $1.badRecords } }
    public var lateRecords: Int64 { tasks.reduce(0) { $0 + $1.lateRecords } }
    public var bytesIn: Int64 { tasks.reduce(0) { $0 + $1.bytesIn } }
    public var out: StreamCounts { tasks.reduce(StreamCounts()) { $0 + $1.out } }
    public var cpuSeconds: Double { tasks.reduce(0) { $0 + $1.cpuSeconds } }
    public var eventsPerSecond: Double { wallSeconds > 0 ? Double(recordsIn) / wallSeconds : 0 }
}

enum ReplayClock {
    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func seconds(since start: UInt64) -> Double {
        Double(Lease.now() - start) / 1e9
    }
}
