/// The static type of an expression; `.null` is the type of the `NULL` literal, compatible with all.
public enum ValueType: String, Sendable, Equatable {
    case string, number, boolean, null
}

/// One value during evaluation: plain data, no references, so copying it never retains or allocates.
/// A string is a view of UTF-8 bytes owned by the current record, the arena or the compiled expression.
public struct ExprValue {
    public enum Kind: UInt8, Sendable { case null, boolean, number, string }
    public var kind: Kind
    public var number: Double
    public var bool: Bool
    public var string: UnsafeRawBufferPointer

    @inline(__always)
    init(kind: Kind, number: Double, bool: Bool, string: UnsafeRawBufferPointer) {
        self.kind = kind
        self.number = number
        self.bool = bool
        self.string = string
    }

    /// Immutable plain data; `nonisolated(unsafe)` only because a view pointer is not Sendable.
    nonisolated(unsafe) public static let null = ExprValue(kind: .null, number: 0, bool: false, string: UnsafeRawBufferPointer(start: nil, count: 0))

    @inline(__always)
    public static func number(_ value: Double) -> ExprValue {
        ExprValue(kind: .number, number: value, bool: false, string: UnsafeRawBufferPointer(start: nil, count: 0))
    }

    @inline(__always)
    public static func boolean(_ value: Bool) -> ExprValue {
        ExprValue(kind: .boolean, number: value ? 1 : 0, bool: value, string: UnsafeRawBufferPointer(start: nil, count: 0))
    }

    @inline(__always)
    public static func string(_ bytes: UnsafeRawBufferPointer) -> ExprValue {
        ExprValue(kind: .string, number: 0, bool: false, string: bytes)
    }

    @inline(__always) var isNull: Bool { kind == .null }
}

/// What a name in an expression refers to, decided by the caller at compile time.
public struct NameBinding: Sendable {
    public var slot: Int
    public var type: ValueType
    public init(slot: Int, type: ValueType) {
        self.slot = slot
        self.type = type
    }
}
