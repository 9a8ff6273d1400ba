/// One step of the flat program that `CompiledExpression.evaluate` runs over a value stack.
/// `a` and `b` are operands whose meaning depends on `op` (see each case).
struct Instruction: Sendable {
    enum Op: UInt8, Sendable {
        case constant            // push constants[a]
        case load                // push slots[a]
        case negate, not
        case add, subtract, multiply, divide, modulo   // b: fault site
        case concat              // pop a strings, push their concatenation
        case compareNumber, compareString, compareBoolean   // a: Comparison
        case and, or             // three-valued, pop 2 push 1
        case jumpIfFalse         // top is FALSE: jump to a, keeping it (AND short cut)
        case jumpIfTrue          // top is TRUE: jump to a, keeping it (OR short cut)
        case jumpUnlessTrue      // pop; not TRUE: jump to a (CASE branches)
        case jumpIfNotNull       // top not NULL: jump to a keeping it; else pop it (COALESCE)
        case jump                // to a
        case isNull              // a: 1 for IS NOT NULL
        case inNumber, inString, inBoolean   // pop a items and the operand; b: 1 for NOT IN
        case like                // a: matcher index, b: 1 for NOT LIKE
        case betweenNumber, betweenString, betweenBoolean    // pop high, low, operand; b: 1 for NOT
        case castString, castDouble, castInteger, castBoolean  // b: fault site
        case lower, upper, trim, charLength, abs, floor, ceil
        case round               // pop digits, value
        case substring           // a: argument count (2 or 3)
        case splitIndex          // pop index, delimiter, string
        case replace             // pop replacement, search, string
        case regexpExtract       // a: regex index, b: group
    }

    enum Comparison: Int32 { case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual }

    var op: Op
    var a: Int32 = 0
    var b: Int32 = 0
}
