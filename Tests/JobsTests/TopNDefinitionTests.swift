import Jobs
import StreamCore
import Testing

/// `topN` of a window step: what loads, and every error with its place in the file.
@Suite struct TopNDefinitionTests {
    static let aggregation = "      - { name: total, sum: data.amount }"

    /// The fixture's window step with `topN` (line 15, its value at column 15) and more aggregations.
    static func withTopN(_ topN: String, aggregations: [String] = []) -> String {
        Fixture.replacing(aggregation, with: ([aggregation] + aggregations.map { "          - \($0)" }).joined(separator: "\n")
                          + "\n        topN: \(topN)")
    }

    @Test("topN loads with n and by (an aggregation or an expression), descending without ties by default, and shows in the description")
    func loads() throws {
        let plain = try #require(try JobDefinitionLoader.load(yaml: Self.withTopN("{ n: 3, by: total }"), file: Fixture.file).first)
        #expect(plain.window?.topN == TopNSpec(n: 3, by: "total", descending: true, withTies: false))
        let description = JobDescription.describe(plain)
        #expect(description.contains("top 3 by total desc per firing, with rank"), "\(description)")
        let all = try #require(try JobDefinitionLoader.load(
            yaml: Self.withTopN("{ n: 1, by: events, order: asc, withTies: true }", aggregations: ["{ name: events, count: \"*\" }"]),
            file: Fixture.file).first)
        #expect(all.window?.topN == TopNSpec(n: 1, by: "events", descending: false, withTies: true))
        let expression = try #require(try JobDefinitionLoader.load(
            yaml: Self.withTopN("{ n: 2, by: \"total / events\" }", aggregations: ["{ name: events, count: \"*\" }"]),
            file: Fixture.file).first)
        #expect(expression.window?.topN?.by == "total / events")
    }

    @Test("a bad n, by and order are reported at once, each at its value; by must be a number over the result")
    func badValues() {
        #expect(Fixture.errors(Self.withTopN("{ n: 0, by: totl, order: down }")) == [
            JobDefinitionError(file: "jobs.yaml", line: 15, column: 20, reason: "steps[0].topN.n: expected a whole number from 1 to 10000, got 0"),
            JobDefinitionError(file: "jobs.yaml", line: 15, column: 27, reason:
                "steps[0].topN.by: unknown field totl (did you mean total?) (at \"totl\")"),
            JobDefinitionError(file: "jobs.yaml", line: 15, column: 40, reason: "steps[0].topN.order: expected one of desc, asc, got \"down\""),
        ])
        #expect(Fixture.errors(Self.withTopN("{ order: desc }")).map(\.reason) == [
            "steps[0].topN: missing required key \"n\" (how many results of each window firing are written)",
            "steps[0].topN: missing required key \"by\" (what the results are ranked by: an aggregation, or a number expression over the result)",
        ])
        let countBy = Fixture.error(Self.withTopN("{ n: 2, by: statuses }", aggregations: ["{ name: statuses, countBy: data.status }"]))
        #expect(countBy?.reason == "steps[0].topN.by: \"statuses\" is a countBy, an object of counts; rank by a number")
        let text = Fixture.error(Self.withTopN("{ n: 2, by: \"UPPER(id)\" }"))
        #expect(text?.line == 15)
        #expect(text?.reason.hasPrefix("steps[0].topN.by: expected a number expression, got string") == true, "\(String(describing: text))")
    }

    @Test("topN is refused on a session window, with allowed lateness and with rules, at the topN mapping")
    func conflicts() {
        let session = Fixture.error(Self.withTopN("{ n: 2, by: total }")
            .replacingOccurrences(of: "{ kind: tumbling, size: 1m }", with: "{ kind: session, gap: 1m }"))
        #expect(session == JobDefinitionError(file: "jobs.yaml", line: 15, column: 15, reason:
            "steps[0].topN: a session window has no firing shared by its keys (each key's sessions end on their own); rank tumbling or sliding windows"))
        let late = Fixture.error(Self.withTopN("{ n: 2, by: total }")
            .replacingOccurrences(of: "{ kind: tumbling, size: 1m }", with: "{ kind: tumbling, size: 1m, allowedLateness: 10s }"))
        #expect(late?.reason == "steps[0].topN: needs allowedLateness 0: a late record would change a ranking already written")
        let rules = Fixture.error(Self.withTopN("{ n: 2, by: total }\n        rules:\n          topic: alerts\n          type: t\n          source: /s\n"
            + "          thresholds:\n            - { rule: BIG, metric: total, threshold: 10, severity: HIGH }"))
        #expect(rules?.reason == "steps[0].topN: a window step has rules or topN, not both: rules would see only the top results")
    }

    @Test("with topN, rank is a name every result has: no aggregation may take it")
    func rankIsReserved() {
        let error = Fixture.error(Self.withTopN("{ n: 2, by: total }", aggregations: ["{ name: rank, count: \"*\" }"]))
        #expect(error?.line == 15)
        #expect(error?.reason.contains("rank") == true, "\(String(describing: error))")
    }
}
