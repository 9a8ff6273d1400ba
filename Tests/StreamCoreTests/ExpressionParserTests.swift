import Testing
@testable import StreamCore

/// How the parser groups text: SQL precedence, every construct, case-insensitive keywords, quoted names.
@Suite struct ExpressionParserTests {
    private func tree(_ text: String) -> String {
        switch Parser.parse(text) {
        case .success(let node): return node.description
        case .failure(let error): return "error: \(error)"
        }
    }

    @Test("* binds tighter than +, + tighter than ||, || tighter than comparison, then NOT, AND, OR")
    func precedence() {
        #expect(tree("1 + 2 * 3") == "(1.0 + (2.0 * 3.0))")
        #expect(tree("a - b - c") == "((a - b) - c)")
        #expect(tree("a || b + 1") == "(a || (b + 1.0))")
        #expect(tree("a || b = c") == "((a || b) = c)")
        #expect(tree("NOT a = 1 AND b OR c") == "(((NOT (a = 1.0)) AND b) OR c)")
        #expect(tree("a OR b AND c") == "(a OR (b AND c))")
        #expect(tree("-x * 2") == "((- x) * 2.0)")
        #expect(tree("(1 + 2) * 3") == "((1.0 + 2.0) * 3.0)")
        #expect(tree("a % 2 = 0") == "((a % 2.0) = 0.0)")
    }

    @Test("predicates: IS [NOT] NULL, [NOT] IN, [NOT] LIKE ... ESCAPE, [NOT] BETWEEN whose AND is not logical")
    func predicates() {
        #expect(tree("a IS NULL") == "(a IS NULL)")
        #expect(tree("a is not null") == "(a IS NOT NULL)")
        #expect(tree("a IN (1, 2)") == "(a IN (1.0, 2.0))")
        #expect(tree("a NOT IN ('x')") == "(a NOT IN ('x'))")
        #expect(tree("a LIKE 'x%' ESCAPE '!'") == "(a LIKE 'x%' ESCAPE '!')")
        #expect(tree("a not like '_'") == "(a NOT LIKE '_')")
        #expect(tree("a BETWEEN 1 AND 2 AND b") == "((a BETWEEN 1.0 AND 2.0) AND b)")
        #expect(tree("a NOT BETWEEN 1 + 1 AND 3") == "(a NOT BETWEEN (1.0 + 1.0) AND 3.0)")
        #expect(tree("a <> 1 OR a != 2 OR a <= 3 OR a >= 4 OR a < 5 OR a > 6")
                == "((((((a <> 1.0) OR (a <> 2.0)) OR (a <= 3.0)) OR (a >= 4.0)) OR (a < 5.0)) OR (a > 6.0))")
    }

    @Test("CASE in both forms, CAST, functions, SUBSTRING FROM/FOR")
    func constructs() {
        #expect(tree("CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END") == "(CASE WHEN a THEN 1.0 WHEN b THEN 2.0 ELSE 3.0 END)")
        #expect(tree("case x when 'a' then 1 end") == "(CASE x WHEN 'a' THEN 1.0 END)")
        #expect(tree("CAST(a AS bigint)") == "CAST(a AS integer)")
        #expect(tree("cast(a as Varchar)") == "CAST(a AS string)")
        #expect(tree("coalesce(a, 'x')") == "COALESCE(a, 'x')")
        #expect(tree("SUBSTRING(s FROM 2 FOR 3)") == "SUBSTRING(s, 2.0, 3.0)")
        #expect(tree("substring(s from 2)") == "SUBSTRING(s, 2.0)")
    }

    @Test("literals: '' escapes a quote, numbers with fraction and exponent, TRUE/FALSE/NULL in any case")
    func literals() {
        #expect(tree("'it''s'") == "'it's'")
        #expect(tree("3.5 + 1e3 + .5 + 2E-1") == "(((3.5 + 1000.0) + 0.5) + 0.2)")
        #expect(tree("true OR False OR nUlL") == "((TRUE OR FALSE) OR NULL)")
        #expect(tree("-5") == "-5.0")
    }

    @Test("dotted and backquoted names keep their case; keywords may follow a dot")
    func names() {
        #expect(tree("data.amount") == "data.amount")
        #expect(tree("data.`my-field` = Data.Amount") == "(data.my-field = Data.Amount)")
        #expect(tree("`a``b`") == "a`b")
        #expect(tree("data.end") == "data.end")
    }

    @Test("syntax errors name what was expected, at the offending token")
    func syntaxErrors() {
        #expect(tree("a +") == "error: at 3: expected an operand, found end of expression")
        #expect(tree("(a") == "error: at 2: expected ')', found end of expression")
        #expect(tree("'open") == "error: at 0: unterminated string")
        #expect(tree("a # b") == "error: at 2: unexpected character '#'")
        #expect(tree("CAST(a AS DATE)") == "error: at 10: expected a type (STRING, VARCHAR, DOUBLE, BIGINT, INT, INTEGER, BOOLEAN), found 'DATE'")
        #expect(tree("a b") == "error: at 2: expected end of expression, found 'b'")
        #expect(tree("CASE END") == "error: at 5: expected WHEN, found 'END'")
    }
}
