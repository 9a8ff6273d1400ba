import Jobs
import Testing

/// Errors in how parts of a definition refer to each other: names, declared fields, the key, topics.
@Suite struct ReferenceErrorTests {
    static let secondJob = Fixture.job.split(separator: "\n").dropFirst().joined(separator: "\n")
    static let aggregation = "          - { name: total, sum: data.amount }"

    @Test("two jobs of one name are rejected at the second name, naming the first's line")
    func duplicateJobName() {
        let error = Fixture.error(Fixture.job + "\n" + Self.secondJob)
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 19, column: 11,
                                            reason: "name: duplicate job name \"payments\" (first at line 2)"))
    }

    @Test("a job name with a colon is rejected: it would break output ids")
    func jobNameWithColon() {
        let error = Fixture.error(Fixture.replacing("name: payments", with: "name: \"pay:ments\""))
        #expect(error?.reason == "name: \"pay:ments\" is not a valid job name (start with a letter or digit; then letters, digits, '.', '_', '-')")
        #expect(error?.line == 2)
    }

    @Test("two aggregations of one name are rejected at the second")
    func duplicateAggregationName() {
        let error = Fixture.error(Fixture.replacing(Self.aggregation, with: Self.aggregation + "\n          - { name: total, count: \"*\" }"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 15, column: 21,
                                            reason: "steps[0].aggregate[1].name: duplicate aggregation name \"total\" (first at line 14)"))
    }

    @Test("an aggregation named like a field every result has is rejected")
    func reservedAggregationName() {
        let error = Fixture.error(Fixture.replacing("name: total", with: "name: windowStart"))
        #expect(error?.reason == "steps[0].aggregate[0].name: \"windowStart\" is already a field of every result (the window start); choose another name")
        let keyClash = Fixture.error(Fixture.replacing("name: total", with: "name: id"))
        #expect(keyClash?.reason == "steps[0].aggregate[0].name: \"id\" is already a field of every result (the key); choose another name")
    }

    @Test("an aggregation needs exactly one kind")
    func aggregationKind() {
        let none = Fixture.error(Fixture.replacing("{ name: total, sum: data.amount }", with: "{ name: total }"))
        #expect(none == JobDefinitionError(file: "jobs.yaml", line: 14, column: 13, reason:
            "steps[0].aggregate[0]: an aggregation needs one of count, sum, avg, min, max, countBy, countDistinct with what it aggregates"))
        let two = Fixture.error(Fixture.replacing("sum: data.amount", with: "sum: data.amount, max: data.amount"))
        #expect(two?.reason == "steps[0].aggregate[0]: an aggregation has one kind, got sum and max")
    }

    @Test("only count takes * (every record)")
    func starOutsideCount() {
        let error = Fixture.error(Fixture.replacing("sum: data.amount", with: "avg: \"*\""))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 14, column: 33, reason:
            "steps[0].aggregate[0].avg: avg needs an expression; only count takes \"*\" (every record)"))
    }

    @Test("a key field that is not declared is rejected at the key")
    func undeclaredKey() {
        let error = Fixture.error(Fixture.replacing("key: data.id", with: "key: data.customerId"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 5, column: 12, reason:
            "source.key: \"data.customerId\" is not declared in fields (declared: data.id, data.status, data.amount)"))
    }

    @Test("a boolean key field is rejected")
    func booleanKey() {
        let yaml = Fixture.replacing("key: data.id", with: "key: data.paid")
            .replacingOccurrences(of: "- { path: data.amount, type: number }",
                                  with: "- { path: data.amount, type: number }\n        - { path: data.paid, type: boolean, required: true }")
        let error = Fixture.error(yaml)
        #expect(error?.reason == "source.key: the key needs a string or number field, but \"data.paid\" is declared as boolean")
    }

    @Test("a number field is a key, and so is an optional one")
    func numberKey() throws {
        let yaml = Fixture.replacing("key: data.id", with: "key: data.amount")
        let job = try #require(try JobDefinitionLoader.load(yaml: yaml, file: Fixture.file).first)
        #expect(job.source.key?.description == "data.amount")
    }

    @Test("a field declared twice is rejected at the second declaration")
    func duplicateField() {
        let error = Fixture.error(Fixture.replacing("path: data.status", with: "path: data.id"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 8, column: 19,
                                            reason: "source.fields[1].path: \"data.id\" is declared twice (first at line 7)"))
    }

    @Test("a field path with an empty component is rejected")
    func badFieldPath() {
        let error = Fixture.error(Fixture.replacing("path: data.status", with: "path: data..status"))
        #expect(error?.reason == "source.fields[1].path: \"data..status\" is not a valid field path (dot-separated names like data.amount)")
    }

    @Test("a topic name Kafka would refuse is rejected")
    func badTopic() {
        let error = Fixture.error(Fixture.replacing("topic: late", with: "topic: late events"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 17, column: 20, reason:
            "late.topic: \"late events\" is not a valid Kafka topic name (letters, digits, '.', '_', '-'; at most 249)"))
    }

    @Test("an output topic equal to the source topic is rejected")
    func outputIsSource() {
        let error = Fixture.error(Fixture.replacing("topic: dlq", with: "topic: in"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 18, column: 26, reason:
            "deadLetter.topic: must differ from the source topic \"in\" (the job would read its own output)"))
    }
}
