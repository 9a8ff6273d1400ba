/// Compiles expression text: parse, resolve names and types, generate the program.
public enum ExpressionCompiler {
    /// All errors of the expression at once (a syntax error stops at itself; name and type errors
    /// are all reported), each with its position. `resolve` maps a name to its slot and type, or nil
    /// (then the error says "unknown field X", with a did-you-mean from `knownNames` when one is close).
    /// `expecting`: the result type the caller needs (NULL always fits).
    public static func compile(_ text: String, expecting: ValueType? = nil,
                               knownNames: [String] = [],
                               resolve: (FieldPath) -> NameBinding?) -> Result<CompiledExpression, ExpressionErrors> {
        let node: Node
        switch Parser.parse(text) {
        case .success(let parsed): node = parsed
        case .failure(let error): return .failure(ExpressionErrors(errors: [error]))
        }
        return withoutActuallyEscaping(resolve) { resolve in
            var checker = TypeChecker(knownNames: knownNames, resolve: resolve)
            let typed = checker.check(node)
            var errors = checker.errors
            if let expecting, typed.type != expecting, typed.type != .null {
                errors.append(ExpressionError(typed.range, "expected a \(expecting) expression, got \(typed.type)"))
            }
            guard errors.isEmpty else {
                return .failure(ExpressionErrors(errors: errors.sorted { ($0.offset, $0.length) < ($1.offset, $1.length) }))
            }
            var generator = CodeGenerator(text: text)
            generator.generate(typed)
            var singleSlot: Int?
            if case .slot(let slot) = typed.op { singleSlot = slot }
            return .success(CompiledExpression(text: text, type: typed.type, slots: checker.slots.sorted(),
                                               singleSlot: singleSlot, generator: generator))
        }
    }
}
