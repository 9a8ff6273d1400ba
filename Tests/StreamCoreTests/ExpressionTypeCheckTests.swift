import Testing
@testable import StreamCore

/// Compile-time errors: message, offset and length, several at once, result types.
@Suite struct ExpressionTypeCheckTests {
    private func errors(_ text: String, expecting: ValueType? = nil) -> [String] {
        exprCompileErrors(text, expecting: expecting).map { "\($0.offset)+\($0.length): \($0.message)" }
    }

    @Test("a comparison of unlike types is reported at the operator")
    func comparisonAtOperator() {
        #expect(errors("data.amount = 'x'") == ["12+1: cannot compare number with string"])
        #expect(errors("data.name <> 1") == ["10+2: cannot compare string with number"])
        #expect(errors("data.amount IN (1, 'a')") == ["19+3: cannot compare number with string"])
        #expect(errors("data.flag BETWEEN 1 AND 2") == ["10+7: cannot compare boolean with number",
                                                        "10+7: cannot compare boolean with number"])
    }

    @Test("arithmetic and || need their types; + on strings hints at ||")
    func operators() {
        #expect(errors("data.name + 'x'") == ["10+1: cannot apply + to string and string (use || to concatenate strings)"])
        #expect(errors("data.amount || 'x'") == ["12+2: || needs strings, got number and string"])
        #expect(errors("-data.name") == ["0+1: cannot negate a string"])
        #expect(errors("NOT data.amount") == ["4+11: NOT needs a boolean, got number"])
        #expect(errors("data.amount AND TRUE") == ["0+11: AND needs a boolean, got number"])
    }

    @Test("all errors of an expression come together, in text order")
    func severalErrors() {
        #expect(errors("data.amout > 1 AND data.name * 2 = 3 OR LOWER(1) = 'a'") == [
            "0+10: unknown field data.amout (did you mean data.amount?)",
            "29+1: cannot apply * to string and number",
            "46+1: LOWER needs a string, got number",
        ])
    }

    @Test("unknown names: did-you-mean only when a known name is close")
    func unknownNames() {
        #expect(errors("data.nmae") == ["0+9: unknown field data.nmae (did you mean data.name?)"])
        #expect(errors("completely.other") == ["0+16: unknown field completely.other"])
        #expect(errors("cuont + 1") == ["0+5: unknown field cuont (did you mean count?)"])
    }

    @Test("functions: unknown, arity at the whole call, argument types at the argument")
    func functions() {
        #expect(errors("FOO(1)") == ["0+3: unknown function FOO"])
        #expect(errors("LOWER('a', 'b')") == ["0+15: LOWER takes 1 argument, got 2"])
        #expect(errors("SUBSTRING('a')") == ["0+14: SUBSTRING takes 2 to 3 arguments, got 1"])
        #expect(errors("COALESCE()") == ["0+10: COALESCE takes at least 1 arguments, got 0"])
        #expect(errors("ABS('x')") == ["4+3: ABS needs a number, got string"])
        #expect(errors("COALESCE(data.name, 1)") == ["20+1: COALESCE arguments mix string and number"])
        #expect(errors("CASE WHEN data.flag THEN 1 ELSE 'x' END") == ["32+3: CASE branches mix number and string"])
        #expect(errors("CASE WHEN 1 THEN 1 END") == ["10+1: WHEN needs a boolean, got number"])
    }

    @Test("LIKE and REGEXP_EXTRACT patterns must be literals; a bad regex points into the pattern")
    func patterns() {
        #expect(errors("data.name LIKE data.name") == ["15+9: LIKE pattern must be a string literal"])
        #expect(errors("data.name LIKE 'a' ESCAPE 'ab'") == ["26+4: ESCAPE must be one character"])
        #expect(errors("REGEXP_EXTRACT(data.name, data.name)") == ["26+9: REGEXP_EXTRACT pattern must be a string literal"])
        #expect(errors("REGEXP_EXTRACT(data.name, 'a(b')") == ["28+1: bad pattern: missing ')'"])
        #expect(errors("REGEXP_EXTRACT(data.name, 'ab*+*')") == [])
        #expect(errors("REGEXP_EXTRACT(data.name, '*a')") == ["27+1: bad pattern: nothing to repeat"])
        #expect(errors("REGEXP_EXTRACT(data.name, '(a)', 2)") == ["33+1: pattern has 1 group, not 2"])
        #expect(errors("REGEXP_EXTRACT(data.name, 'a{3,1}')") == ["28+1: bad pattern: bad repetition {3,1}"])
    }

    @Test("a required result type is checked on the whole expression; NULL fits any")
    func expecting() {
        #expect(errors("data.amount + 1", expecting: .boolean) == ["0+15: expected a boolean expression, got number"])
        #expect(errors("NULL", expecting: .boolean) == [])
        #expect(errors("data.amount > 1", expecting: .boolean) == [])
    }

    @Test("result type, slots read and the single-slot shortcut")
    func compiledShape() throws {
        let sum = try compileExpr("data.amount + count * data.amount").get()
        #expect(sum.type == .number)
        #expect(sum.slots == [0, 4])
        #expect(sum.singleSlot == nil)
        let single = try compileExpr("(data.`my-field`)").get()
        #expect(single.singleSlot == 3)
        #expect(single.type == .string)
        #expect(try compileExpr("NULL").get().type == .null)
        #expect(try compileExpr("CASE WHEN data.flag THEN NULL ELSE 'x' END").get().type == .string)
        #expect(try compileExpr("CAST(data.amount AS STRING)").get().type == .string)
    }
}
