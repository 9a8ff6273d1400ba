/// A compile-time problem in an expression, with the part of the text it is about.
public struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// In Characters from the start of the expression text.
    public var offset: Int
    /// Characters of the offending part (>= 1).
    public var length: Int
    public var message: String

    public init(offset: Int, length: Int, message: String) {
        self.offset = offset
        self.length = max(1, length)
        self.message = message
    }

    init(_ range: SourceRange, _ message: String) {
        self.init(offset: range.offset, length: range.length, message: message)
    }

    public var description: String { "at \(offset): \(message)" }
}

/// Every error found in one expression, in text order.
public struct ExpressionErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public var errors: [ExpressionError]
    public init(errors: [ExpressionError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "; ") }
}

/// A run-time failure of one evaluation (the record becomes a dead letter). Only built on the error path.
public struct ExpressionFault: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// A span of the expression text, in Characters.
struct SourceRange: Sendable, Equatable {
    var offset: Int
    var length: Int

    /// From the start of `self` to the end of `other`.
    func through(_ other: SourceRange) -> SourceRange {
        SourceRange(offset: offset, length: max(1, other.offset + other.length - offset))
    }
}
