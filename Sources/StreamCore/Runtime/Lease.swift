import Foundation
import Synchronization

/// The right to produce output, granted by the jobmanager for a limited time and renewed by
/// every acknowledged heartbeat. A taskmanager cut off from the jobmanager (partitioned,
/// stopped, overloaded) lets it lapse and stops producing before the jobmanager declares it
/// lost and restarts its tasks elsewhere: the lease is shorter than the loss timeout.
public final class Lease: Sendable {
    /// Monotonic deadline in nanoseconds; 0 until first granted.
    private let deadline = Atomic<UInt64>(0)

    public init() {}

    /// Extends the lease to `durationMs` after `sentAt`, the moment the acknowledged heartbeat
    /// left: the jobmanager cannot have seen it earlier, so its loss timer starts later.
    public func renew(sentAt: UInt64, durationMs: Int) {
        let until = sentAt + UInt64(durationMs) * 1_000_000
        var current = deadline.load(ordering: .relaxed)
        while current < until {
            // Releasing: whatever this thread did before renewing (cancelled tasks) is seen by
            // a slot that sees the renewed lease (`isHeldForRound`).
            let (exchanged, original) = deadline.compareExchange(expected: current, desired: until, ordering: .releasing)
            if exchanged { return }
            current = original
        }
    }

    public var isHeld: Bool { Lease.now() < deadline.load(ordering: .relaxed) }

    /// Whether a slot may start a round of its tasks: read with acquiring order before its
    /// commands, so a lease renewed after tasks were cancelled is only seen with those cancels;
    /// and held for `roundMarginNs` more, so a lapse stops tasks between rounds, where a new
    /// jobmanager can adopt them, rather than fail them in the middle of a batch.
    public var isHeldForRound: Bool { Lease.now() + Lease.roundMarginNs < deadline.load(ordering: .acquiring) }
    static let roundMarginNs: UInt64 = 100_000_000

    /// Monotonic clock in nanoseconds (CLOCK_MONOTONIC: unaffected by wall-clock steps).
    public static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}

/// A task found its lease lapsed while producing: it stops at once, unflushed.
public struct LeaseLapsed: Error, CustomStringConvertible {
    public var description: String { "lease lapsed: this taskmanager may have been declared lost" }
}
