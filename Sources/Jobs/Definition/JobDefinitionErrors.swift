/// All the problems of a definition file, in file order; what the loader throws.
public struct JobDefinitionErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public var errors: [JobDefinitionError]

    public init(_ errors: [JobDefinitionError]) {
        self.errors = errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    /// One `file:line:column: reason` per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
