import Foundation
import StreamCore
import Yams

/// Reads the YAML job-definition format (docs/jobs.md) into `JobSpec`s.
///
/// Every problem of a file is reported at once, as `JobDefinitionErrors`, each carrying the file,
/// line and column of the offending node, so a data engineer can fix the file without reading Swift.
/// Nothing is returned unless the whole file is right.
public enum JobDefinitionLoader {
    public static func load(path: String) throws(JobDefinitionErrors) -> [JobSpec] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw JobDefinitionErrors([JobDefinitionError(file: path, line: 0, column: 0,
                                                          reason: "cannot read file: \(error.localizedDescription)")])
        }
        return try load(yaml: text, file: path)
    }

    public static func load(yaml: String, file: String) throws(JobDefinitionErrors) -> [JobSpec] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw JobDefinitionErrors([JobDefinitionError(yamlError: error, yaml: yaml, file: file)])
        }
        guard let root else {
            throw JobDefinitionErrors([JobDefinitionError(file: file, line: 1, column: 1,
                                                          reason: "the file is empty: expected a mapping with a \"jobs\" list")])
        }
        let diagnostics = Diagnostics(text: yaml)
        let top = YAMLValue(node: root, path: "", file: file, diagnostics: diagnostics)
        let jobs = diagnostics.attempt { () throws -> [JobSpec] in
            guard root.mapping != nil else {
                throw top.error("expected a mapping with a \"jobs\" list, got \(top.shown)")
            }
            let document = try top.mapping(allowedKeys: ["jobs"])
            let list = try document.required("jobs")
            let items = try list.sequence()
            guard !items.isEmpty else { throw list.error("expected at least one job") }
            var jobs: [JobSpec] = []
            var firstLineOfName: [String: Int] = [:]
            for item in items {
                guard let (job, nameNode) = JobSection.parse(item) else { continue }
                if let line = firstLineOfName[job.name] {
                    diagnostics.report(nameNode.error("duplicate job name \"\(job.name)\" (first at line \(line))"))
                } else {
                    firstLineOfName[job.name] = nameNode.line
                }
                jobs.append(job)
            }
            return jobs
        }
        guard diagnostics.errors.isEmpty, let jobs else { throw JobDefinitionErrors(diagnostics.errors) }
        return jobs
    }
}
