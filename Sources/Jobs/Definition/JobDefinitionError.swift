/// A problem in a job definition file, pinned to the line and column where it was found.
///
/// `line` and `column` start at 1; both are 0 when the file itself could not be read.
public struct JobDefinitionError: Error, Sendable, CustomStringConvertible, Equatable, Codable {
    public var file: String
    public var line: Int
    public var column: Int
    /// What is wrong, prefixed with the key path inside the job, e.g. `window.size: ...`.
    public var reason: String

    public init(file: String, line: Int, column: Int, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// Compiler-style `file:line:column: reason`, so editors can jump to it.
    public var description: String { "\(file):\(line):\(column): \(reason)" }
}
