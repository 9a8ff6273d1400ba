import Foundation
import Jobs
import Testing

/// Errors in the shape of the file: YAML syntax, keys, scalar types. Each names file, line, column.
@Suite struct StructureErrorTests {
    @Test("a mistyped key is rejected at the key, naming it, the likely intended key and the allowed ones; the key it misses is reported too")
    func unknownKey() {
        let errors = Fixture.errors(Fixture.replacing("size: 1m", with: "sise: 1m"))
        #expect(errors == [
            JobDefinitionError(file: "jobs.yaml", line: 12, column: 17, reason: "steps[0].window: missing required key \"size\""),
            JobDefinitionError(file: "jobs.yaml", line: 12, column: 35, reason:
                "steps[0].window: unknown key \"sise\" (did you mean \"size\"?); allowed keys: kind, size, slide, gap, allowedLateness"),
        ])
    }

    @Test("problems in different sections of a file are all reported at once, in file order")
    func severalErrors() {
        let yaml = Fixture.replacing("required: true", with: "required: yes please")
            .replacingOccurrences(of: "kind: tumbling", with: "kind: tumble")
            .replacingOccurrences(of: "topic: dlq", with: "topic: in")
        #expect(Fixture.errors(yaml) == [
            JobDefinitionError(file: "jobs.yaml", line: 7, column: 52,
                               reason: "source.fields[0].required: expected true or false, got \"yes please\""),
            JobDefinitionError(file: "jobs.yaml", line: 12, column: 25,
                               reason: "steps[0].window.kind: expected one of tumbling, sliding, session, got \"tumble\""),
            JobDefinitionError(file: "jobs.yaml", line: 18, column: 26,
                               reason: "deadLetter.topic: must differ from the source topic \"in\" (the job would read its own output)"),
        ])
    }

    @Test("an unknown job-level key is reported relative to the job, without a far-fetched suggestion")
    func unknownJobKey() {
        let error = Fixture.error(Fixture.replacing("    late: { topic: late }", with: "    late: { topic: late }\n    parallelism: 4"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 18, column: 5, reason:
            "jobs[0]: unknown key \"parallelism\"; allowed keys: name, source, steps, sinks, late, deadLetter, "
            + "delivery, checkpointInterval"))
    }

    @Test("a missing required key is reported at the mapping that lacks it")
    func missingKey() {
        let error = Fixture.error(Fixture.replacing("    late: { topic: late }\n", with: ""))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 2, column: 5, reason:
            "jobs[0]: missing required key \"late\" (a job with a window sends records too late for it there)"))
    }

    @Test("a missing key of a nested mapping names the nested path")
    func missingNestedKey() {
        let error = Fixture.error(Fixture.replacing("{ topic: out, type: t, source: /s }", with: "{ topic: out, type: t }"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 16, column: 9,
                                            reason: "sinks[0]: missing required key \"source\""))
    }

    @Test("a number where a string is expected is rejected with a hint to quote it")
    func numberForString() {
        let error = Fixture.error(Fixture.replacing("topic: out", with: "topic: 42"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 16, column: 18,
                                            reason: "sinks[0].topic: expected a string, got 42 (write \"42\" to mean the text)"))
    }

    @Test("a quoted word where a boolean is expected is rejected")
    func stringForBool() {
        let error = Fixture.error(Fixture.replacing("required: true", with: "required: \"true\""))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 7, column: 52,
                                            reason: "source.fields[0].required: expected true or false, got \"true\""))
    }

    @Test("a list where a mapping is expected is rejected")
    func listForMapping() {
        let error = Fixture.error(Fixture.replacing("watermark: { outOfOrderness: 5s }", with: "watermark: [5s]"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 10, column: 18,
                                            reason: "source.watermark: expected a mapping, got a list"))
    }

    @Test("a word outside a fixed set is rejected naming the allowed words")
    func unknownEnumWord() {
        let error = Fixture.error(Fixture.replacing("kind: tumbling", with: "kind: tumble"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 12, column: 25,
                                            reason: "steps[0].window.kind: expected one of tumbling, sliding, session, got \"tumble\""))
    }

    @Test("an empty value where a string is expected says nothing was given")
    func emptyValue() {
        let error = Fixture.error(Fixture.replacing("key: data.id", with: "key:"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 5, column: 11,
                                            reason: "source.key: expected a string, got nothing"))
    }

    @Test("an empty jobs list is rejected at the list")
    func emptyJobs() {
        let error = Fixture.error("# nothing to run yet\njobs: []\n")
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 2, column: 7, reason: "jobs: expected at least one job"))
    }

    @Test("a file without the jobs key says what the top level must hold")
    func missingJobs() {
        let errors = Fixture.errors("job:\n  - name: x\n")
        #expect(errors == [
            JobDefinitionError(file: "jobs.yaml", line: 1, column: 1, reason: "unknown key \"job\" (did you mean \"jobs\"?); allowed keys: jobs"),
            JobDefinitionError(file: "jobs.yaml", line: 1, column: 1, reason: "missing required key \"jobs\""),
        ])
    }

    @Test("a top level that is not a mapping says what it must hold")
    func topLevelList() {
        let error = Fixture.error("- name: x\n")
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 1, column: 1,
                                            reason: "expected a mapping with a \"jobs\" list, got a list"))
    }

    @Test("an empty file is rejected")
    func emptyFile() {
        let error = Fixture.error("# only a comment\n")
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 1, column: 1,
                                            reason: "the file is empty: expected a mapping with a \"jobs\" list"))
    }

    @Test("a YAML syntax error carries the line and column libyaml reports")
    func syntaxError() throws {
        let error = Fixture.error(Fixture.replacing("window: { kind: tumbling, size: 1m }", with: "window: { kind: tumbling, size: 1m"))
        let found = try #require(error)
        #expect(found.file == "jobs.yaml")
        #expect(found.line == 13)
        #expect(found.reason.hasPrefix("invalid YAML: did not find expected ',' or '}'"))
        #expect(found.description.hasPrefix("jobs.yaml:13:"))
    }

    @Test("a bad indentation is a YAML syntax error with its line")
    func indentationError() throws {
        let error = Fixture.error(Fixture.replacing("      key: data.id", with: "     key: data.id"))
        let found = try #require(error)
        #expect(found.line == 5)
        #expect(found.reason.hasPrefix("invalid YAML: "))
    }

    @Test("a key written twice in one mapping is rejected")
    func duplicateYAMLKey() {
        let error = Fixture.error(Fixture.replacing("    late: { topic: late }", with: "    late: { topic: late }\n    late: { topic: later }"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 17, column: 5,
                                            reason: "duplicate key \"late\": each key may appear once in a mapping"))
    }

    @Test("an unreadable file is an error at line 0 naming the path")
    func unreadableFile() throws {
        let path = "/nonexistent-\(UUID().uuidString)/jobs.yaml"
        let error = #expect(throws: JobDefinitionErrors.self) { try JobDefinitionLoader.load(path: path) }
        let found = try #require(error?.errors.first)
        #expect(error?.errors.count == 1)
        #expect(found.file == path)
        #expect(found.line == 0)
        #expect(found.column == 0)
        #expect(found.reason.hasPrefix("cannot read file: "))
    }

    @Test("the description is compiler-style file:line:column: reason")
    func description() {
        let error = JobDefinitionError(file: "jobs.yaml", line: 12, column: 5, reason: "window.size: bad")
        #expect(error.description == "jobs.yaml:12:5: window.size: bad")
    }
}
