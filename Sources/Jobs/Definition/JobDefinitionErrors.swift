/// All the problems of a definition file, in file order; what the loader throws.
public struct JobDefinitionErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public var errors: [JobDefinitionError]

    public init(_ errors: [JobDefinitionError]) {
        // Stable: problems at one place keep the order they were found in.
        self.errors = errors.enumerated().sorted { ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset) }
            .map(\.element)
    }

    /// One `file:line:column: reason` per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
