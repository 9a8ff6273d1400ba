import Testing
@testable import StreamCore

// Shared by the Expression*Tests suites: a record with a few bound fields and a way to see results.

/// A result in comparable form.
enum ExprOutcome: Equatable, CustomStringConvertible {
    case null, bool(Bool), num(Double), str(String), fault(String)

    var description: String {
        switch self {
        case .null: return "NULL"
        case .bool(let b): return "\(b)"
        case .num(let n): return "\(n)"
        case .str(let s): return "'\(s)'"
        case .fault(let r): return "fault(\(r))"
        }
    }
}

/// Field values for one test record; nil is a missing field.
struct ExprTestRecord {
    var amount: Double? = 12.5
    var name: String? = "Alice"
    var flag: Bool? = true
    var myField: String? = "x-y"
    var count: Double? = 3
}

let exprTestBindings: [String: NameBinding] = [
    "data.amount": NameBinding(slot: 0, type: .number),
    "data.name": NameBinding(slot: 1, type: .string),
    "data.flag": NameBinding(slot: 2, type: .boolean),
    "data.my-field": NameBinding(slot: 3, type: .string),
    "count": NameBinding(slot: 4, type: .number),
    "data.missing": NameBinding(slot: 5, type: .string),
]

func compileExpr(_ text: String, expecting: ValueType? = nil) -> Result<CompiledExpression, ExpressionErrors> {
    ExpressionCompiler.compile(text, expecting: expecting, knownNames: exprTestBindings.keys.sorted()) {
        exprTestBindings[$0.description]
    }
}

/// The errors of `text`, as (offset, length, message).
func exprCompileErrors(_ text: String, expecting: ValueType? = nil) -> [ExpressionError] {
    switch compileExpr(text, expecting: expecting) {
    case .success: return []
    case .failure(let errors): return errors.errors
    }
}

/// Evaluates with the record's fields bound; string fields are views of buffers alive for the call.
func runExpr(_ expression: CompiledExpression, _ record: ExprTestRecord = ExprTestRecord(), arena: inout ExprArena) -> ExprOutcome {
    var buffers: [UnsafeMutableRawBufferPointer] = []
    defer { for b in buffers { b.deallocate() } }
    func text(_ s: String?) -> ExprValue {
        guard let s else { return .null }
        let bytes = Array(s.utf8)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, bytes.count), alignment: 1)
        buffer.copyBytes(from: bytes)
        buffers.append(buffer)
        return .string(UnsafeRawBufferPointer(start: buffer.baseAddress, count: bytes.count))
    }
    let slots: [ExprValue] = [
        record.amount.map { .number($0) } ?? .null,
        text(record.name),
        record.flag.map { .boolean($0) } ?? .null,
        text(record.myField),
        record.count.map { .number($0) } ?? .null,
        .null,
    ]
    do {
        let value = try slots.withUnsafeBufferPointer { try expression.evaluate($0.baseAddress!, arena: &arena) }
        switch value.kind {
        case .null: return .null
        case .boolean: return .bool(value.bool)
        case .number: return .num(value.number)
        case .string: return .str(String(decoding: value.string, as: UTF8.self))
        }
    } catch let fault as ExpressionFault {
        return .fault(fault.reason)
    } catch {
        return .fault("unexpected \(error)")
    }
}

/// Compiles and evaluates `text`; a compile error fails the test.
func evalExpr(_ text: String, _ record: ExprTestRecord = ExprTestRecord(),
              sourceLocation: SourceLocation = #_sourceLocation) -> ExprOutcome {
    switch compileExpr(text) {
    case .failure(let errors):
        Issue.record("\(text): \(errors)", sourceLocation: sourceLocation)
        return .fault("compile error")
    case .success(let expression):
        var arena = ExprArena()
        return runExpr(expression, record, arena: &arena)
    }
}
