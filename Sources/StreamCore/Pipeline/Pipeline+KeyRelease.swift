/// Memory that follows live state, not history: a keyed operator interns every key it sees, and a
/// job whose keys come and go (sessions of visitors, orders) would otherwise keep all of them.
///
/// A release rebuilds the operator from the task's store right after a checkpoint wrote its whole
/// state there, exactly as a restart from that checkpoint would: the new key table holds only the
/// keys that a window row, a session or a rule's memory still references, and the operator goes on
/// producing what the old one would have (output is a pure function of the records and the
/// restored state, which exactly-once after a crash rests on). It runs when the table has doubled
/// since the last release, so its cost, a read of the live state, is paid once per as many new
/// keys as there are live ones.
extension Pipeline {
    /// Keys below which a release is not worth a rebuild.
    public static let keysBeforeRelease = 65_536

    /// After a checkpoint wrote the whole state to the attached store: releases the keys no state
    /// references when the operator holds at least `minimum` and twice as many as after the last
    /// release. Returns the keys held before and after, or nil when it did nothing.
    @discardableResult
    public func releaseUnusedKeys(minimum: Int = keysBeforeRelease) throws -> (before: Int, after: Int)? {
        guard let keyed, let attached, keyed.keysHeld >= max(minimum, 2 * keysAtLastRelease) else { return nil }
        let before = keyed.keysHeld
        switch terminal {
        case .window, .shuffledWindow:
            let window = WindowOperator(job: job)
            try rebuild(window, from: keyed, store: attached)
            replaceKeyed(with: window)
        case .session, .shuffledSession:
            let session = SessionWindowOperator(job: job)
            try rebuild(session, from: keyed, store: attached)
            replaceKeyed(with: session)
        case .records, .repartition, .shuffledRecords:
            return nil
        }
        rowsSpilledBefore += keyed.rowsSpilled
        keysAtLastRelease = self.keyed?.keysHeld ?? 0
        return (before, keysAtLastRelease)
    }

    private func rebuild(_ replacement: KeyedOperator, from current: KeyedOperator,
                         store attached: (store: RocksDBStore, maxRowsInMemory: Int)) throws {
        replacement.attach(store: attached.store, maxRowsInMemory: attached.maxRowsInMemory)
        if let drain { replacement.drainOutput(every: drain.every, drain.body) }
        try replacement.restore(from: attached.store, watermark: current.watermarkMs)
    }
}
