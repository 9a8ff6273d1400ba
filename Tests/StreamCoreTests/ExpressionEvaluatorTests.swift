import Testing
@testable import StreamCore

/// Evaluation: every operator and function with exact results, SQL NULL semantics, run-time faults.
@Suite struct ExpressionEvaluatorTests {
    @Test("arithmetic with SQL precedence; % keeps the dividend's sign; NULL operands give NULL")
    func arithmetic() {
        #expect(evalExpr("1 + 2 * 3 - 4 / 2") == .num(5))
        #expect(evalExpr("data.amount * 2") == .num(25))
        #expect(evalExpr("-7 % 3") == .num(-1))
        #expect(evalExpr("7.5 % 2") == .num(1.5))
        #expect(evalExpr("-data.amount") == .num(-12.5))
        #expect(evalExpr("data.amount + NULL") == .null)
        #expect(evalExpr("count * 2", ExprTestRecord(count: nil)) == .null)
    }

    @Test("division or modulo by zero and overflow are faults naming the failing part (NULL operands are not)")
    func arithmeticFaults() {
        #expect(evalExpr("1 + data.amount / (count - 3)") == .fault("division by zero in `data.amount / (count - 3)`"))
        #expect(evalExpr("count % 0") == .fault("modulo by zero in `count % 0`"))
        #expect(evalExpr("1e308 * 10") == .fault("numeric overflow in `1e308 * 10`"))
        #expect(evalExpr("count / 0 IS NULL", ExprTestRecord(count: nil)) == .bool(true), "NULL / 0 is NULL, not a fault")
    }

    @Test("comparisons: numbers, strings by bytes, booleans; NULL compares to NULL")
    func comparisons() {
        #expect(evalExpr("data.amount > 12") == .bool(true))
        #expect(evalExpr("data.amount <= 12.5 AND data.amount >= 12.5 AND data.amount <> 1") == .bool(true))
        #expect(evalExpr("'abc' < 'abd'") == .bool(true))
        #expect(evalExpr("'ab' < 'abc'") == .bool(true))
        #expect(evalExpr("'B' < 'a'") == .bool(true))
        #expect(evalExpr("data.name = 'Alice'") == .bool(true))
        #expect(evalExpr("data.name != 'alice'") == .bool(true))
        #expect(evalExpr("data.flag = TRUE") == .bool(true))
        #expect(evalExpr("data.name = NULL") == .null)
        #expect(evalExpr("data.missing = 'x'") == .null)
    }

    @Test("three-valued AND / OR / NOT, the full truth table")
    func threeValuedLogic() {
        let values = ["TRUE", "FALSE", "NULL"]
        let and: [[ExprOutcome]] = [[.bool(true), .bool(false), .null], [.bool(false), .bool(false), .bool(false)],
                                [.null, .bool(false), .null]]
        let or: [[ExprOutcome]] = [[.bool(true), .bool(true), .bool(true)], [.bool(true), .bool(false), .null],
                               [.bool(true), .null, .null]]
        for (i, a) in values.enumerated() {
            for (j, b) in values.enumerated() {
                #expect(evalExpr("\(a) AND \(b)") == and[i][j], "\(a) AND \(b)")
                #expect(evalExpr("\(a) OR \(b)") == or[i][j], "\(a) OR \(b)")
            }
        }
        #expect(evalExpr("NOT TRUE") == .bool(false))
        #expect(evalExpr("NOT FALSE") == .bool(true))
        #expect(evalExpr("NOT NULL") == .null)
    }

    @Test("AND and OR cut short, so a guard protects a division")
    func shortCircuit() {
        #expect(evalExpr("count <> 3 AND data.amount / (count - 3) > 1") == .bool(false))
        #expect(evalExpr("count = 3 OR data.amount / (count - 3) > 1") == .bool(true))
    }

    @Test("IS [NOT] NULL, [NOT] IN with NULL items, [NOT] BETWEEN inclusive")
    func predicates() {
        #expect(evalExpr("data.missing IS NULL") == .bool(true))
        #expect(evalExpr("data.name IS NOT NULL") == .bool(true))
        #expect(evalExpr("data.name IN ('Bob', 'Alice')") == .bool(true))
        #expect(evalExpr("data.name NOT IN ('Bob', 'Alice')") == .bool(false))
        #expect(evalExpr("data.name IN ('Bob', NULL)") == .null)
        #expect(evalExpr("data.name IN ('Alice', NULL)") == .bool(true))
        #expect(evalExpr("data.name NOT IN ('Bob')") == .bool(true))
        #expect(evalExpr("data.missing IN ('Bob')") == .null)
        #expect(evalExpr("count IN (1, 2, 3)") == .bool(true))
        #expect(evalExpr("data.amount BETWEEN 12.5 AND 13") == .bool(true))
        #expect(evalExpr("data.amount BETWEEN 1 AND 12") == .bool(false))
        #expect(evalExpr("data.amount NOT BETWEEN 1 AND 12") == .bool(true))
        #expect(evalExpr("data.name BETWEEN 'A' AND 'B'") == .bool(true))
        #expect(evalExpr("data.amount BETWEEN NULL AND 1") == .bool(false))
        #expect(evalExpr("data.amount BETWEEN 1 AND NULL") == .null)
    }

    @Test("LIKE: % any run, _ one character (UTF-8 aware), ESCAPE makes them literal, NULL gives NULL")
    func like() {
        #expect(evalExpr("data.name LIKE 'A%'") == .bool(true))
        #expect(evalExpr("data.name LIKE '%ic%'") == .bool(true))
        #expect(evalExpr("data.name LIKE 'A_ice'") == .bool(true))
        #expect(evalExpr("data.name LIKE 'A_ce'") == .bool(false))
        #expect(evalExpr("data.name LIKE 'alice'") == .bool(false))
        #expect(evalExpr("data.name NOT LIKE '%z%'") == .bool(true))
        #expect(evalExpr("'naïve' LIKE 'na_ve'") == .bool(true))
        #expect(evalExpr("'100%' LIKE '100!%' ESCAPE '!'") == .bool(true))
        #expect(evalExpr("'1000' LIKE '100!%' ESCAPE '!'") == .bool(false))
        #expect(evalExpr("'a_b' LIKE 'a\\_b' ESCAPE '\\'") == .bool(true))
        #expect(evalExpr("'axb' LIKE 'a\\_b' ESCAPE '\\'") == .bool(false))
        #expect(evalExpr("'abcbd' LIKE '%b_'") == .bool(true))
        #expect(evalExpr("'' LIKE '%'") == .bool(true))
        #expect(evalExpr("data.missing LIKE '%'") == .null)
    }

    @Test("CASE: first true branch, ELSE or NULL; the simple form compares with =")
    func caseExpressions() {
        #expect(evalExpr("CASE WHEN count > 5 THEN 'big' WHEN count > 2 THEN 'mid' ELSE 'small' END") == .str("mid"))
        #expect(evalExpr("CASE WHEN count > 5 THEN 'big' END") == .null)
        #expect(evalExpr("CASE WHEN NULL THEN 1 ELSE 2 END") == .num(2))
        #expect(evalExpr("CASE data.name WHEN 'Bob' THEN 1 WHEN 'Alice' THEN 2 END") == .num(2))
        #expect(evalExpr("CASE data.missing WHEN NULL THEN 1 ELSE 0 END") == .num(0))
        #expect(evalExpr("1 + CASE WHEN TRUE THEN 1 ELSE 0 END * 10") == .num(11))
    }

    @Test("COALESCE returns its first non-NULL argument")
    func coalesce() {
        #expect(evalExpr("COALESCE(data.missing, data.name, 'x')") == .str("Alice"))
        #expect(evalExpr("COALESCE(data.missing, NULL)") == .null)
        #expect(evalExpr("COALESCE(count, 0) + 1", ExprTestRecord(count: nil)) == .num(1))
    }

    @Test("|| and CONCAT join strings; any NULL argument gives NULL")
    func concat() {
        #expect(evalExpr("data.name || '-' || data.`my-field`") == .str("Alice-x-y"))
        #expect(evalExpr("CONCAT('a', data.name, '', 'b')") == .str("aAliceb"))
        #expect(evalExpr("'a' || data.missing") == .null)
        #expect(evalExpr("CONCAT('a', NULL)") == .null)
    }

    @Test("string functions: LOWER/UPPER (ASCII), TRIM (spaces), CHAR_LENGTH (characters)")
    func stringFunctions() {
        #expect(evalExpr("LOWER(data.name)") == .str("alice"))
        #expect(evalExpr("UPPER('abc-Ä1')") == .str("ABC-Ä1"))
        #expect(evalExpr("TRIM('  a b  ')") == .str("a b"))
        #expect(evalExpr("TRIM('   ')") == .str(""))
        #expect(evalExpr("CHAR_LENGTH('naïve')") == .num(5))
        #expect(evalExpr("CHAR_LENGTH(data.missing)") == .null)
        #expect(evalExpr("lower(NULL)") == .null)
    }

    @Test("SUBSTRING is 1-based; positions before 1 count toward the length; past the end is short or empty")
    func substring() {
        #expect(evalExpr("SUBSTRING('hello', 2, 3)") == .str("ell"))
        #expect(evalExpr("SUBSTRING('hello', 2)") == .str("ello"))
        #expect(evalExpr("SUBSTRING('hello' FROM 4 FOR 10)") == .str("lo"))
        #expect(evalExpr("SUBSTRING('hello', 0, 2)") == .str("h"))
        #expect(evalExpr("SUBSTRING('hello', -1, 3)") == .str("h"))
        #expect(evalExpr("SUBSTRING('hello', 9)") == .str(""))
        #expect(evalExpr("SUBSTRING('hello', 2, 0)") == .str(""))
        #expect(evalExpr("SUBSTRING('hello', 2, -1)") == .str(""))
        #expect(evalExpr("SUBSTRING('naïve', 3, 2)") == .str("ïv"))
        #expect(evalExpr("SUBSTRING('hello', NULL)") == .null)
    }

    @Test("SPLIT_INDEX is the n-th piece from 0 between delimiters (whitespace for an empty one); NULL past the last piece, for an empty string, a negative index or a NULL argument")
    func splitIndex() {
        let url = "'https://www.nexmark.com/abc/item.htm?query=1'"
        #expect(evalExpr("SPLIT_INDEX(\(url), '/', 0)") == .str("https:"))
        #expect(evalExpr("SPLIT_INDEX(\(url), '/', 1)") == .str(""))
        #expect(evalExpr("SPLIT_INDEX(\(url), '/', 3)") == .str("abc"))
        #expect(evalExpr("SPLIT_INDEX(\(url), '/', 4)") == .str("item.htm?query=1"))
        #expect(evalExpr("SPLIT_INDEX(\(url), '/', 5)") == .null)
        #expect(evalExpr("SPLIT_INDEX('a::b::', '::', 1)") == .str("b"))
        #expect(evalExpr("SPLIT_INDEX('a::b::', '::', 2)") == .str(""))
        #expect(evalExpr("SPLIT_INDEX('a:b', '::', 0)") == .str("a:b"))
        #expect(evalExpr("SPLIT_INDEX('a/b', '', 0)") == .str("a/b"))
        #expect(evalExpr("SPLIT_INDEX('a  b\tc', '', 1)") == .str(""))
        #expect(evalExpr("SPLIT_INDEX('a  b\tc', '', 3)") == .str("c"))
        #expect(evalExpr("SPLIT_INDEX('a/b', '/', -1)") == .null)
        #expect(evalExpr("SPLIT_INDEX('a/b', NULL, 0)") == .null)
        #expect(evalExpr("SPLIT_INDEX('naïve/x', '/', 0)") == .str("naïve"))
        #expect(evalExpr("SPLIT_INDEX('a/b/', '/', 2)") == .str(""))
        #expect(evalExpr("SPLIT_INDEX('a/b/', '/', 3)") == .null)
        #expect(evalExpr("SPLIT_INDEX('', '/', 0)") == .null)
        #expect(evalExpr("SPLIT_INDEX('', '/', 1)") == .null)
    }

    @Test("REPLACE replaces every occurrence left to right, not overlapping; an empty search changes nothing; NULL in, NULL out")
    func replace() {
        #expect(evalExpr("REPLACE('abcabc', 'b', 'XY')") == .str("aXYcaXYc"))
        #expect(evalExpr("REPLACE('aaa', 'aa', 'b')") == .str("ba"))
        #expect(evalExpr("REPLACE('abc', 'c', '')") == .str("ab"))
        #expect(evalExpr("REPLACE('cc', 'c', '')") == .str(""))
        #expect(evalExpr("REPLACE('abc', 'x', 'y')") == .str("abc"))
        #expect(evalExpr("REPLACE('abc', '', 'y')") == .str("abc"))
        #expect(evalExpr("REPLACE('naïve', 'ï', 'i')") == .str("naive"))
        #expect(evalExpr("CHAR_LENGTH('accbc') - CHAR_LENGTH(REPLACE('accbc', 'c', ''))") == .num(3))
        #expect(evalExpr("REPLACE('abc', NULL, 'y')") == .null)
    }

    @Test("numeric functions: ABS, FLOOR, CEIL, ROUND half away from zero incl. negative digits")
    func numericFunctions() {
        #expect(evalExpr("ABS(-2.5)") == .num(2.5))
        #expect(evalExpr("FLOOR(-2.5)") == .num(-3))
        #expect(evalExpr("CEIL(2.1)") == .num(3))
        #expect(evalExpr("ROUND(2.5)") == .num(3))
        #expect(evalExpr("ROUND(-2.5)") == .num(-3))
        #expect(evalExpr("ROUND(1.25, 1)") == .num(1.3))
        #expect(evalExpr("ROUND(1234.5, -2)") == .num(1200))
        #expect(evalExpr("ROUND(-1250, -2)") == .num(-1300))
        #expect(evalExpr("ROUND(12.345, 2)") == .num(12.35))
        #expect(evalExpr("ROUND(1e300, 10)") == .num(1e300))
    }

    @Test("CAST between types; integral numbers print without .0; BIGINT truncates toward zero")
    func casts() {
        #expect(evalExpr("CAST(12 AS STRING)") == .str("12"))
        #expect(evalExpr("CAST(-0.0 AS STRING)") == .str("0"))
        #expect(evalExpr("CAST(data.amount AS VARCHAR)") == .str("12.5"))
        #expect(evalExpr("CAST(0.1 + 0.2 AS STRING)") == .str("0.30000000000000004"))
        #expect(evalExpr("CAST(9007199254740992 AS STRING)") == .str("9007199254740992"))
        #expect(evalExpr("CAST(1e20 AS STRING)") == .str("1e+20"))
        #expect(evalExpr("CAST(1e300 AS STRING)") == .str("1e+300"))
        #expect(evalExpr("CAST(TRUE AS STRING)") == .str("TRUE"))
        #expect(evalExpr("CAST(' 3.5e1 ' AS DOUBLE)") == .num(35))
        #expect(evalExpr("CAST('-2.7' AS BIGINT)") == .num(-2))
        #expect(evalExpr("CAST(2.7 AS INT)") == .num(2))
        #expect(evalExpr("CAST('True' AS BOOLEAN)") == .bool(true))
        #expect(evalExpr("CAST(0 AS BOOLEAN)") == .bool(false))
        #expect(evalExpr("CAST(FALSE AS INTEGER)") == .num(0))
        #expect(evalExpr("CAST(NULL AS DOUBLE)") == .null)
    }

    @Test("a CAST that does not parse is a fault quoting the value")
    func castFaults() {
        #expect(evalExpr("CAST('abc' AS DOUBLE)") == .fault("cannot cast 'abc' to DOUBLE in `CAST('abc' AS DOUBLE)`"))
        #expect(evalExpr("CAST('1.5x' AS BIGINT)") == .fault("cannot cast '1.5x' to BIGINT in `CAST('1.5x' AS BIGINT)`"))
        #expect(evalExpr("CAST('nan' AS DOUBLE)") == .fault("cannot cast 'nan' to DOUBLE in `CAST('nan' AS DOUBLE)`"))
        #expect(evalExpr("CAST('1e999' AS DOUBLE)") == .fault("cannot cast '1e999' to DOUBLE in `CAST('1e999' AS DOUBLE)`"))
        #expect(evalExpr("CAST('yes' AS BOOLEAN)") == .fault("cannot cast 'yes' to BOOLEAN in `CAST('yes' AS BOOLEAN)`"))
        #expect(evalExpr("CAST('' AS DOUBLE)") == .fault("cannot cast '' to DOUBLE in `CAST('' AS DOUBLE)`"))
    }

    @Test("isTrue is a filter's view: only TRUE passes")
    func isTrue() throws {
        var arena = ExprArena()
        let filter = try compileExpr("data.amount > 10", expecting: .boolean).get()
        let slots: [ExprValue] = [.number(11), .null, .null, .null, .null, .null]
        let missing: [ExprValue] = [.null, .null, .null, .null, .null, .null]
        #expect(try slots.withUnsafeBufferPointer { try filter.isTrue($0.baseAddress!, arena: &arena) })
        #expect(try !missing.withUnsafeBufferPointer { try filter.isTrue($0.baseAddress!, arena: &arena) })
    }

    @Test("10,000 evaluations with a reset per record leave the arena's capacity as after the first")
    func arenaStable() throws {
        let expression = try compileExpr(
            "CONCAT(UPPER(data.name), '-', CAST(data.amount * 3 AS STRING), LOWER(data.`my-field`)) || REGEXP_EXTRACT(data.name, '(l+)i', 1)"
        ).get()
        var arena = ExprArena(capacity: 64)
        #expect(runExpr(expression, arena: &arena) == .str("ALICE-37.5x-yl"))
        arena.reset()
        let capacity = arena.capacity
        for i in 0..<10_000 {
            let outcome = runExpr(expression, ExprTestRecord(amount: Double(i)), arena: &arena)
            if i == 9_999 { #expect(outcome == .str("ALICE-29997x-yl")) }
            arena.reset()
        }
        #expect(arena.capacity == capacity)
    }

    @Test("strings made in one record stay valid while the arena chains new blocks")
    func arenaChains() throws {
        var arena = ExprArena(capacity: 64)
        let first = StringFunctions.mapCase(StringFunctions.staticText("abcdefghij"), upper: true, arena: &arena)
        for _ in 0..<20 { _ = arena.allocate(50) }
        #expect(String(decoding: first, as: UTF8.self) == "ABCDEFGHIJ")
        #expect(arena.capacity > 1000)
        arena.reset()
        #expect(arena.bytesUsed == 0)
        let total = arena.capacity
        for _ in 0..<20 { _ = arena.allocate(50) }
        #expect(arena.capacity == total)
    }
}
