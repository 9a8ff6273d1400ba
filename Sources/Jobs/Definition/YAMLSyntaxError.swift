import Yams

extension JobDefinitionError {
    /// Turns Yams' parse errors into a `JobDefinitionError` at the position libyaml reported.
    init(yamlError: any Error, yaml: String, file: String) {
        guard let error = yamlError as? YamlError else {
            self.init(file: file, line: 0, column: 0, reason: "invalid YAML: \(yamlError)")
            return
        }
        switch error {
        case let .scanner(context, problem, mark, _),
             let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let during = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            self.init(file: file, line: mark.line, column: mark.column,
                      reason: "invalid YAML: \(problem)\(during)")
        case let .reader(problem, offset, _, _):
            let (line, column) = offset.map { Self.position(ofCharacter: $0, in: yaml) } ?? (0, 0)
            self.init(file: file, line: line, column: column, reason: "invalid YAML: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            self.init(file: file, line: context.mark.line, column: context.mark.column,
                      reason: "duplicate key \(keys): each key may appear once in a mapping")
        default:
            self.init(file: file, line: 0, column: 0, reason: "invalid YAML: \(error)")
        }
    }

    /// 1-based line and column of the character at `offset` (libyaml's reader reports offsets only).
    private static func position(ofCharacter offset: Int, in text: String) -> (Int, Int) {
        var line = 1
        var column = 1
        for character in text.prefix(offset) {
            if character.isNewline {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}
