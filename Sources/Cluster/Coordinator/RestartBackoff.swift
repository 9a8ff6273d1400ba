/// How long a failed task waits before it starts again: `initialMs` after its first failure,
/// doubling with each failure in a row, at most `maxMs` (Flink's exponential-delay restart
/// strategy). A fault that lasts minutes (a full disk, unreachable brokers) is retried without
/// spinning; a completed checkpoint of the job ends the run of failures.
public struct RestartBackoff: Sendable, Equatable {
    public var initialMs: Int
    public var maxMs: Int

    public init(initialMs: Int, maxMs: Int) {
        self.initialMs = initialMs
        self.maxMs = maxMs
    }

    /// The wait before the restart that follows the `failures`-th failure in a row (1 for the first).
    public func delayMs(afterFailures failures: Int) -> Int {
        guard failures > 0, initialMs > 0 else { return 0 }
        var delay = initialMs
        for _ in 1..<min(failures, 32) where delay < maxMs { delay *= 2 }
        return min(delay, maxMs)
    }
}
