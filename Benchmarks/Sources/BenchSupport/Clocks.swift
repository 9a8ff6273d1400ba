#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall and this thread's CPU time. On a shared machine the CPU time is the steadier figure: it
/// leaves out the time the thread waited for a core.
public struct Stopwatch {
    private let wall: Double
    private let cpu: Double

    public init() {
        wall = Stopwatch.now(CLOCK_MONOTONIC)
        cpu = Stopwatch.now(CLOCK_THREAD_CPUTIME_ID)
    }

    public var elapsed: (wall: Double, cpu: Double) {
        (Stopwatch.now(CLOCK_MONOTONIC) - wall, Stopwatch.now(CLOCK_THREAD_CPUTIME_ID) - cpu)
    }

    static func now(_ clock: clockid_t) -> Double {
        var ts = timespec()
        clock_gettime(clock, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// Prints a line and flushes it, so figures appear as they are measured also when output goes
/// to a file (block-buffered).
public func emit(_ line: String) {
    print(line)
    fflush(nil)
}
