import Foundation
import StreamCore
import Yams

/// Reads the YAML job-definition format (see docs/jobs.md) into `JobSpec`s.
///
/// Every problem is reported as one `JobDefinitionError` carrying the file, line and column of the
/// offending node, so a data engineer can fix the file without reading Swift.
public enum JobDefinitionLoader {
    public static func load(path: String) throws -> [JobSpec] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw JobDefinitionError(file: path, line: 0, column: 0,
                                     reason: "cannot read file: \(error.localizedDescription)")
        }
        return try load(yaml: text, file: path)
    }

    public static func load(yaml: String, file: String) throws -> [JobSpec] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw JobDefinitionError(yamlError: error, yaml: yaml, file: file)
        }
        guard let root else {
            throw JobDefinitionError(file: file, line: 1, column: 1,
                                     reason: "the file is empty: expected a mapping with a \"jobs\" list")
        }
        let top = YAMLValue(node: root, path: "", file: file)
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
            let (job, nameNode) = try JobSection.parse(item)
            if let line = firstLineOfName[job.name] {
                throw nameNode.error("duplicate job name \"\(job.name)\" (first at line \(line))")
            }
            firstLineOfName[job.name] = nameNode.line
            jobs.append(job)
        }
        return jobs
    }
}
