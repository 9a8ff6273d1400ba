import Foundation

extension TaskPlacement {
    /// Records a failure and holds the task back for the backoff it earned; returns the delay in ms.
    mutating func backOff(after failure: String, _ backoff: RestartBackoff, now: UInt64) -> Int {
        failuresInARow += 1
        lastFailure = failure
        let delayMs = backoff.delayMs(afterFailures: failuresInARow)
        restartAt = now + UInt64(delayMs) * 1_000_000
        return delayMs
    }

    /// The job completed a checkpoint with this task: the next failure backs off from the start again.
    mutating func recovered() {
        failuresInARow = 0
        lastFailure = nil
        restartAt = 0
    }

    /// Milliseconds until a failed task starts again, while it waits.
    func restartInMs(now: UInt64) -> Int64? {
        guard phase == .scheduled, restartAt > now else { return nil }
        return Int64((restartAt - now) / 1_000_000)
    }
}

extension ManagedJob {
    /// Why tasks of a running job are not running: the failures they wait out, first task first.
    func restartMessage(now: UInt64) -> String? {
        let waiting = tasks.compactMap { t in t.restartInMs(now: now).map { (t, $0) } }
        guard let (first, inMs) = waiting.first else { return nil }
        let others = waiting.count > 1 ? " (and \(waiting.count - 1) more task(s) waiting to restart)" : ""
        return "task \(label(first.key)) failed (\(first.failuresInARow) in a row), restarts in \(String(format: "%.1f", Double(inMs) / 1000)) s: "
            + "\(first.lastFailure ?? "?")\(others)"
    }
}
