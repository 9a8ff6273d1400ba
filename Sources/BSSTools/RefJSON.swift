/// A parsed JSON value, as the reference implementation sees it.
///
/// Booleans and numbers are distinct cases (docs/bss-jobs.md §7: a boolean is not a number);
/// objects keep the last value of a duplicated key.
enum RefJSON: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([RefJSON])
    case object([String: RefJSON])

    subscript(key: String) -> RefJSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }
}
