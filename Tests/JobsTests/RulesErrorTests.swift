import Jobs
import StreamCore
import Testing

/// Threshold rules: metrics must name a count, a sum or one value of a countBy.
@Suite struct RulesErrorTests {
    static let aggregation = "          - { name: total, sum: data.amount }"

    static func job(metric: String, extraRule: String = "") -> String {
        Fixture.replacing(aggregation, with: """
                      - { name: total, sum: data.amount }
                      - { name: average, avg: data.amount }
                      - { name: statuses, countBy: data.status }
                      - { name: statusKinds, countDistinct: data.status }
                    rules:
                      topic: alerts
                      type: alert
                      source: /s
                      thresholds:
                        - { rule: BIG, metric: \(metric), threshold: 1e3, severity: HIGH }\(extraRule)
            """)
    }

    @Test("count, sum, countDistinct and countBy-value metrics are accepted")
    func acceptedMetrics() throws {
        for metric in ["total", "statuses.FAILED", "statusKinds"] {
            let job = try #require(try JobDefinitionLoader.load(yaml: Self.job(metric: metric), file: Fixture.file).first)
            #expect(job.window?.rules == RulesSpec(topic: "alerts", type: "alert", source: "/s", rules: [
                ThresholdRule(name: "BIG", metric: metric, threshold: 1_000, severity: "HIGH"),
            ]))
        }
    }

    @Test("a rule's when is an expression over the result's fields, checked with its position")
    func ruleWhen() throws {
        let yaml = Self.job(metric: "total").replacingOccurrences(of: "severity: HIGH }", with: "severity: HIGH, when: statuses > 1 }")
        let error = Fixture.error(yaml)
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 23, column: 81, reason:
            "steps[0].rules.thresholds[0].when: unknown field statuses (at \"statuses\")"))
        let fixed = Self.job(metric: "total").replacingOccurrences(of: "severity: HIGH }", with: "severity: HIGH, when: average > 1 }")
        let job = try #require(try JobDefinitionLoader.load(yaml: fixed, file: Fixture.file).first)
        #expect(job.window?.rules?.rules.first?.when == "average > 1")
    }

    @Test("a metric naming no aggregation is rejected, listing the usable ones")
    func unknownMetric() {
        let error = Fixture.error(Self.job(metric: "totl"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 23, column: 36, reason:
            "steps[0].rules.thresholds[0].metric: \"totl\" is not an aggregation of this job (usable: total, statuses.VALUE, statusKinds)"))
    }

    @Test("a metric naming an avg is rejected: it can be null")
    func avgMetric() {
        let error = Fixture.error(Self.job(metric: "average"))
        #expect(error?.reason == "steps[0].rules.thresholds[0].metric: \"average\" is avg, which can be null; a rule compares a count, a sum, a countDistinct or countByName.VALUE")
    }

    @Test("a countBy metric without a value is rejected")
    func countByWithoutValue() {
        let error = Fixture.error(Self.job(metric: "statuses"))
        #expect(error?.reason == "steps[0].rules.thresholds[0].metric: \"statuses\" is a countBy: name one of its values, like statuses.VALUE")
    }

    @Test("a value picked from a sum is rejected")
    func valueOfSum() {
        let error = Fixture.error(Self.job(metric: "total.x"))
        #expect(error?.reason == "steps[0].rules.thresholds[0].metric: only a countBy aggregation has values to pick with '.'; \"total\" is sum")
    }

    @Test("two rules of one name are rejected: alert ids would collide")
    func duplicateRule() {
        let error = Fixture.error(Self.job(metric: "total", extraRule: "\n            - { rule: BIG, metric: total, threshold: 2, severity: LOW }"))
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 24, column: 23, reason:
            "steps[0].rules.thresholds[1].rule: duplicate rule \"BIG\" (first at line 23)"))
    }

    @Test("a threshold that is not a number is rejected")
    func textThreshold() {
        let error = Fixture.error(Self.job(metric: "total").replacingOccurrences(of: "1e3", with: "lots"))
        #expect(error?.reason == "steps[0].rules.thresholds[0].threshold: expected a number, got \"lots\"")
    }

    @Test("an unknown severity is rejected naming the allowed ones")
    func unknownSeverity() {
        let error = Fixture.error(Self.job(metric: "total").replacingOccurrences(of: "HIGH", with: "HIHG"))
        #expect(error?.reason == "steps[0].rules.thresholds[0].severity: expected one of LOW, MEDIUM, HIGH, CRITICAL, got \"HIHG\"")
    }

    @Test("an empty threshold list is rejected")
    func emptyThresholds() {
        let yaml = Fixture.replacing(Self.aggregation, with: Self.aggregation
            + "\n        rules: { topic: alerts, type: alert, source: /s, thresholds: [] }")
        let error = Fixture.error(yaml)
        #expect(error == JobDefinitionError(file: "jobs.yaml", line: 15, column: 70,
                                            reason: "steps[0].rules.thresholds: expected at least one threshold rule"))
    }
}
