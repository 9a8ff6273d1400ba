import Foundation
import StreamCore

/// The YAML node of each expression of a job, by where it stands, so a problem the expression
/// compiler finds is reported at its own line and column.
struct ExpressionNodes {
    private var nodes: [(CompiledJob.Site, YAMLValue)] = []

    mutating func add(_ site: CompiledJob.Site, _ node: YAMLValue) { nodes.append((site, node)) }

    func node(of site: CompiledJob.Site) -> YAMLValue? { nodes.first { $0.0 == site }?.1 }
}

extension YAMLValue {
    /// An expression: a string scalar (YAML's own numbers and booleans are taken as written, so
    /// `threshold: 5`-style `filter: true` reads as the expression `true`).
    func expression() throws -> String {
        guard let text = scalarText, !isTagged(.null), node.scalar != nil else {
            throw error("expected an expression, got \(shown)")
        }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw error("expected an expression, got nothing") }
        return text
    }

    /// The error of an expression problem, at the line and column of the part it is about.
    func error(_ problem: ExpressionError) -> JobDefinitionError {
        let (line, column) = position(ofCharacter: problem.offset)
        let text = scalarText ?? ""
        let start = text.index(text.startIndex, offsetBy: min(problem.offset, text.count))
        let end = text.index(start, offsetBy: min(max(problem.length, 1), text.distance(from: start, to: text.endIndex)))
        let part = String(text[start..<end])
        let shown = part.isEmpty ? "" : " (at \"\(part)\")"
        return JobDefinitionError(file: file, line: line, column: column,
                                  reason: "\(path): \(problem.message)\(shown)")
    }

    /// Where character `offset` of this scalar's text stands in the file. Plain and quoted scalars on
    /// one line start at the node's column (after the quote); a block scalar's lines start on the
    /// lines after its indicator, at the indentation of its first line. Escapes inside double quotes
    /// are counted as the characters they stand for, so a position after one may be off by its length.
    private func position(ofCharacter offset: Int) -> (Int, Int) {
        guard let scalar = node.scalar else { return (line, column) }
        switch scalar.style {
        case .literal, .folded:
            let text = scalarText ?? ""
            var lineIndex = 0, columnInLine = 0
            for character in text.prefix(offset) {
                if character.isNewline { lineIndex += 1; columnInLine = 0 } else { columnInLine += 1 }
            }
            let indent = diagnostics.indentation(ofLine: line + 1)
            return (line + 1 + lineIndex, indent + 1 + columnInLine)
        case .singleQuoted, .doubleQuoted:
            return (line, column + 1 + offset)
        default:
            return (line, column + offset)
        }
    }
}
