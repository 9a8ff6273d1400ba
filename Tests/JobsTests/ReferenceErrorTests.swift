import Jobs
import Testing

/// Errors in how parts of a definition refer to each other: names, declared fields, metrics, topics.
@Suite struct ReferenceErrorTests {
    static let secondJob = Fixture.job.split(separator: "\n").dropFirst().joined(separator: "\n")

    @Test("two jobs of one name are rejected at the second name, naming the first's line")
    func duplicateJobName() {
        let error = Fixture.error(Fixture.job + "\n" + Self.secondJob)
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 16, column: 11,
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
        let error = Fixture.error(Fixture.replacing("      - { name: total, kind: sum, field: data.amount }",
            with: "      - { name: total, kind: sum, field: data.amount }\n      - { name: total, kind: count }"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 13, column: 17,
                                            reason: "aggregations[1].name: duplicate aggregation name \"total\" (first at line 12)"))
    }

    @Test("an aggregation named like a field every output has is rejected")
    func reservedAggregationName() {
        let error = Fixture.error(Fixture.replacing("name: total", with: "name: windowStart"))
        #expect(error?.reason == "aggregations[0].name: \"windowStart\" is already a field of every output record (the window start); choose another name")
        let keyClash = Fixture.error(Fixture.replacing("name: total", with: "name: id"))
        #expect(keyClash?.reason == "aggregations[0].name: \"id\" is already a field of every output record (the key); choose another name")
    }

    @Test("an aggregation over an undeclared field is rejected, listing the declared ones")
    func undeclaredAggregationField() {
        let error = Fixture.error(Fixture.replacing("field: data.amount", with: "field: data.amout"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 12, column: 42, reason:
            "aggregations[0].field: \"data.amout\" is not declared in fields (declared: data.id, data.status, data.amount)"))
    }

    @Test("sum over a string field is rejected")
    func sumOverString() {
        let error = Fixture.error(Fixture.replacing("field: data.amount", with: "field: data.status"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 12, column: 42, reason:
            "aggregations[0].field: sum needs a number field, but \"data.status\" is declared as string"))
    }

    @Test("countBy over a number field is rejected")
    func countByOverNumber() {
        let error = Fixture.error(Fixture.replacing("kind: sum", with: "kind: countBy"))
        #expect(error?.reason == "aggregations[0].field: countBy needs a string field, but \"data.amount\" is declared as number")
        #expect(error?.line == 12)
    }

    @Test("avg without a field is rejected at the aggregation")
    func avgWithoutField() {
        let error = Fixture.error(Fixture.replacing("kind: sum, field: data.amount", with: "kind: avg"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 12, column: 9, reason:
            "aggregations[0]: missing required key \"field\" (avg needs a number field)"))
    }

    @Test("a where clause on a number field is rejected")
    func whereOnNumber() {
        let error = Fixture.error(Fixture.replacing("field: data.amount }", with: "field: data.amount, where: { field: data.amount, equals: \"0\" } }"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 12, column: 71, reason:
            "aggregations[0].where.field: where needs a string field, but \"data.amount\" is declared as number"))
    }

    @Test("a where clause on an undeclared field is rejected")
    func whereOnUndeclared() {
        let error = Fixture.error(Fixture.replacing("field: data.amount }", with: "field: data.amount, where: { field: data.state, equals: OK } }"))
        #expect(error?.reason == "aggregations[0].where.field: \"data.state\" is not declared in fields (declared: data.id, data.status, data.amount)")
    }

    @Test("a key field that is not declared is rejected at the key")
    func undeclaredKey() {
        let error = Fixture.error(Fixture.replacing("key: data.id", with: "key: data.customerId"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 4, column: 10, reason:
            "key: \"data.customerId\" is not declared in fields (declared: data.id, data.status, data.amount)"))
    }

    @Test("a key field declared optional is rejected")
    func optionalKey() {
        let error = Fixture.error(Fixture.replacing("key: data.id", with: "key: data.status"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 4, column: 10, reason:
            "key: the key field must be declared with required: true (a record without a key cannot be grouped)"))
    }

    @Test("a number key field is rejected")
    func numberKey() {
        let error = Fixture.error(Fixture.replacing("key: data.id", with: "key: data.amount"))
        #expect(error?.reason == "key: the key needs a string field, but \"data.amount\" is declared as number")
    }

    @Test("a field declared twice is rejected at the second declaration")
    func duplicateField() {
        let error = Fixture.error(Fixture.replacing("path: data.status", with: "path: data.id"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 7, column: 17,
                                            reason: "fields[1].path: \"data.id\" is declared twice (first at line 6)"))
    }

    @Test("a field path with an empty component is rejected")
    func badFieldPath() {
        let error = Fixture.error(Fixture.replacing("path: data.status", with: "path: data..status"))
        #expect(error?.reason == "fields[1].path: \"data..status\" is not a valid field path (dot-separated names like data.amount)")
    }

    @Test("a topic name Kafka would refuse is rejected")
    func badTopic() {
        let error = Fixture.error(Fixture.replacing("topic: late", with: "topic: late events"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 14, column: 20, reason:
            "late.topic: \"late events\" is not a valid Kafka topic name (letters, digits, '.', '_', '-'; at most 249)"))
    }

    @Test("an output topic equal to the source topic is rejected")
    func outputIsSource() {
        let error = Fixture.error(Fixture.replacing("topic: dlq", with: "topic: in"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 15, column: 26, reason:
            "deadLetter.topic: must differ from the source topic \"in\" (the job would read its own output)"))
    }
}
