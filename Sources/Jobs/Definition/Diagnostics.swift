/// Every problem found in one definition file: sections report what they find and go on, so a
/// data engineer sees all the errors of a file at once, not one per attempt.
final class Diagnostics {
    private(set) var errors: [JobDefinitionError] = []
    /// The file's lines, for positions inside block scalars.
    private let lines: [Substring]

    init(text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// Leading spaces of 1-based line `line`.
    func indentation(ofLine line: Int) -> Int {
        guard line >= 1, line <= lines.count else { return 0 }
        return lines[line - 1].prefix { $0 == " " }.count
    }

    func report(_ error: JobDefinitionError) {
        if !errors.contains(error) { errors.append(error) }
    }

    /// Runs `body`; a problem it throws is reported and nil returned, so the caller goes on
    /// with the rest of its section.
    func attempt<T>(_ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch let error as JobDefinitionError {
            report(error)
        } catch let errors as JobDefinitionErrors {
            errors.errors.forEach(report)
        } catch is Reported {
            // Its problems are reported already.
        } catch {
            report(JobDefinitionError(file: "", line: 0, column: 0, reason: "\(error)"))
        }
        return nil
    }
}
