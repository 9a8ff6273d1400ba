/// Why a record is bad; goes into the dead-letter record's "error" field.
///
/// Reasons are short, stable, human-readable strings (docs/bss-jobs.md §6): the same bytes always give the same reason.
public struct BadRecord: Error, Sendable, Equatable {
    public var reason: String
    public init(reason: String) { self.reason = reason }
}
