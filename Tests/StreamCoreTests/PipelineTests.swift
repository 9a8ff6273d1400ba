import Foundation
import Testing
@testable import StreamCore

/// A job's pipeline end to end on hand-made records: filters, computed fields, the window,
/// routed sinks, stateless jobs, plain JSON, and records a step fails on.
@Suite struct PipelineTests {
    static let fields = [
        FieldSpec(path: FieldPath(dotted: "data.customerId"), type: .string, required: true),
        FieldSpec(path: FieldPath(dotted: "data.eventType"), type: .string, required: true),
        FieldSpec(path: FieldPath(dotted: "data.amount"), type: .number, required: false),
    ]

    static func job(steps: [StepSpec] = [], aggregations: [AggregationSpec]? = nil, sinks: [SinkSpec]? = nil,
                    window: Bool = true) -> JobSpec {
        JobSpec(
            name: "test-job",
            source: SourceSpec(topic: "in", key: FieldPath(dotted: "data.customerId"), fields: fields,
                               watermark: WatermarkSpec(outOfOrdernessMs: 5_000)),
            steps: steps,
            window: window ? WindowStep(window: .tumbling(sizeMs: 300_000), aggregations: aggregations ?? [
                AggregationSpec(name: "eventCount", kind: .count),
                AggregationSpec(name: "totalAmount", kind: .sum, operand: "data.amount"),
            ]) : nil,
            sinks: sinks ?? [SinkSpec(topic: "out", type: "test.window", source: "/stream/test")],
            lateTopic: window ? "late" : nil, deadLetterTopic: "dead", delivery: .exactlyOnce, checkpointIntervalMs: 10_000)
    }

    /// Runs records through a pipeline of `spec`; returns what each did and every record emitted.
    final class Run {
        let pipeline: Pipeline
        var output = OutputBatch()
        var outcomes: [Pipeline.Outcome] = []
        private var offset: Int64 = 0

        init(_ spec: JobSpec, partition: Int32 = 0, upstreamTasks: Int = 0) throws {
            pipeline = Pipeline(job: try CompiledJob.compile(spec).get(), partition: partition, upstreamTasks: upstreamTasks)
        }

        func send(_ customer: String, at millis: Int64, type: String = "PURCHASE", amount: Double? = nil) throws {
            let amountField = amount.map { ",\"amount\":\($0)" } ?? ""
            try send(raw: """
                {"specversion":"1.0","id":"e\(offset)","source":"/s","type":"t","time":"\(RFC3339.format(millis: millis))",\
                "data":{"customerId":"\(customer)","eventType":"\(type)"\(amountField)}}
                """, key: customer)
        }

        func send(raw: String, key: String = "") throws {
            offset += 1
            let outcome = try Array(raw.utf8).withUnsafeBytes { value in
                try Array(key.utf8).withUnsafeBytes { k in
                    try pipeline.process(key: k, value: value, offset: offset, into: &output)
                }
            }
            outcomes.append(outcome)
        }

        func finish() throws { try pipeline.advanceWatermark(to: PartitionWatermark.plusInfinity, into: &output) }

        /// (stream, value as JSON object) of every emitted record, in order.
        var emitted: [(stream: OutputBatch.Stream, json: [String: Any])] {
            (0..<output.records.count).map { i in
                output.withRecord(i) { stream, _, value in
                    (stream, (try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any]) ?? [:])
                }
            }
        }

        func values(_ stream: OutputBatch.Stream) -> [String] {
            (0..<output.records.count).compactMap { i in
                output.withRecord(i) { s, _, value in s == stream ? String(decoding: value, as: UTF8.self) : nil }
            }
        }
    }

    @Test("a filtered-out record moves the watermark but is never late and never a result")
    func filterKeepsWatermark() throws {
        let run = try Run(Self.job(steps: [StepSpec(id: "no-tests", operation: .filter("data.eventType <> 'TEST'"))]))
        try run.send("c1", at: 0, amount: 5)
        try run.send("c1", at: 600_000, type: "TEST")        // fires [0, 5m) though filtered out
        try run.send("c1", at: 60_000, type: "TEST")         // before the watermark, but filtered: not late
        try run.send("c1", at: 60_000, amount: 1)            // the same time, not filtered: late
        #expect(run.outcomes == [.passed, .filtered, .filtered, .late])
        let emitted = run.emitted
        #expect(emitted.map(\.stream) == [.result, .late])
        let data = emitted[0].json["data"] as? [String: Any]
        #expect(data?["eventCount"] as? Int == 1)
        #expect(run.pipeline.filteredByStep == [2])
    }

    @Test("a computed field is an operand of a later aggregation, and conditions are expressions")
    func computedOperand() throws {
        let run = try Run(Self.job(
            steps: [StepSpec(id: "fx", operation: .set([ComputedField(name: "doubled", expression: "data.amount * 2")]))],
            aggregations: [
                AggregationSpec(name: "total", kind: .sum, operand: "doubled"),
                AggregationSpec(name: "bigOnes", kind: .count, condition: "doubled > 10"),
                AggregationSpec(name: "typed", kind: .countBy, operand: "LOWER(data.eventType)"),
            ]))
        try run.send("c1", at: 0, amount: 3)
        try run.send("c1", at: 1_000, type: "REFUND", amount: 8)
        try run.send("c1", at: 2_000)                        // no amount: NULL doubled, not summed
        try run.finish()
        let data = try #require(run.emitted.first?.json["data"] as? [String: Any])
        #expect(data["total"] as? Double == 22)
        #expect(data["bigOnes"] as? Int == 1)
        #expect(data["typed"] as? [String: Int] == ["purchase": 2, "refund": 1])
    }

    @Test("a record a step fails on is a dead letter naming the step and the reason; the job goes on")
    func stepFault() throws {
        let run = try Run(Self.job(steps: [StepSpec(id: "ratio", operation: .set([
            ComputedField(name: "ratio", expression: "100 / data.amount"),
        ]))]))
        try run.send("c1", at: 0, amount: 0)
        try run.send("c1", at: 1_000, amount: 4)
        try run.finish()
        #expect(run.outcomes == [.bad, .passed])
        let dead = try #require(run.emitted.first { $0.stream == .deadLetter }?.json)
        let error = try #require(dead["error"] as? String)
        #expect(error.hasPrefix("step ratio: division by zero"), "\(error)")
        #expect(run.emitted.filter { $0.stream == .result }.count == 1)
    }

    @Test("results go to every sink whose when holds, as CloudEvents or as the plain JSON of their data")
    func routedSinks() throws {
        let run = try Run(Self.job(sinks: [
            SinkSpec(topic: "all", format: .json),
            SinkSpec(topic: "big", type: "big.window", source: "/big", when: "totalAmount >= 100"),
        ]))
        try run.send("small", at: 0, amount: 5)
        try run.send("large", at: 0, amount: 150)
        try run.finish()
        #expect(run.values(.sink(0)) == [
            #"{"customerId":"large","windowStart":"1970-01-01T00:00:00.000Z","windowEnd":"1970-01-01T00:05:00.000Z","eventCount":1,"totalAmount":150.0,"revision":0}"#,
            #"{"customerId":"small","windowStart":"1970-01-01T00:00:00.000Z","windowEnd":"1970-01-01T00:05:00.000Z","eventCount":1,"totalAmount":5.0,"revision":0}"#,
        ])
        let big = run.emitted.filter { $0.stream == .sink(1) }.map(\.json)
        #expect(big.map { $0["subject"] as? String } == ["large"])
        #expect(big.first?["type"] as? String == "big.window")
    }

    @Test("a rule with a when trips only where its condition over the result's fields also holds")
    func ruleWhen() throws {
        var spec = Self.job()
        spec.window?.rules = RulesSpec(topic: "alerts", type: "test.alert", source: "/stream/test", rules: [
            ThresholdRule(name: "BUSY", metric: "eventCount", threshold: 2, severity: "LOW", when: "totalAmount >= 100"),
        ])
        let run = try Run(spec)
        for customer in ["cheap", "dear", "single"] {
            let amount: Double = customer == "cheap" ? 1 : 80
            try run.send(customer, at: 0, amount: amount)
            if customer != "single" { try run.send(customer, at: 1_000, amount: amount) }
        }
        try run.finish()
        let alerts = run.emitted.filter { $0.stream == .alert }.map { $0.json["subject"] as? String }
        #expect(alerts == ["dear"])
        #expect(run.emitted.filter { $0.stream == .result }.count == 3)
    }

    @Test("a stateless job writes each record that passes, with its computed fields added, to the sinks whose when holds")
    func statelessJob() throws {
        let run = try Run(Self.job(
            steps: [
                StepSpec(id: "f", operation: .filter("data.amount IS NOT NULL")),
                StepSpec(id: "s", operation: .set([
                    ComputedField(name: "bucket", expression: "CASE WHEN data.amount >= 10 THEN 'big' ELSE 'small' END"),
                    ComputedField(name: "cents", expression: "CAST(data.amount * 100 AS BIGINT)"),
                ])),
            ],
            sinks: [SinkSpec(topic: "every"), SinkSpec(topic: "big", when: "bucket = 'big'")], window: false))
        try run.send(raw: #"{"specversion":"1.0","id":"1","source":"/s","type":"t","time":"2025-01-01T00:00:00Z","data":{"customerId":"c","eventType":"x","amount":12.5}}"#)
        try run.send(raw: #"{"specversion":"1.0","id":"2","source":"/s","type":"t","time":"2025-01-01T00:00:01Z","data":{"customerId":"c","eventType":"x"}}"#)
        try run.send(raw: #"{"specversion":"1.0","id":"3","source":"/s","type":"t","time":"2025-01-01T00:00:02Z","data":{"customerId":"c","eventType":"x","amount":2} }"#)
        #expect(run.outcomes == [.passed, .filtered, .passed])
        #expect(run.values(.sink(0)) == [
            #"{"specversion":"1.0","id":"1","source":"/s","type":"t","time":"2025-01-01T00:00:00Z","data":{"customerId":"c","eventType":"x","amount":12.5},"bucket":"big","cents":1250}"#,
            #"{"specversion":"1.0","id":"3","source":"/s","type":"t","time":"2025-01-01T00:00:02Z","data":{"customerId":"c","eventType":"x","amount":2} ,"bucket":"small","cents":200}"#,
        ])
        #expect(run.values(.sink(1)).count == 1)
    }

    @Test("computed fields of every type are written as JSON: escaped strings, null, booleans, integers and fractions")
    func computedFieldsOfEveryType() throws {
        let run = try Run(Self.job(
            steps: [StepSpec(id: "s", operation: .set([
                ComputedField(name: "who", expression: "UPPER(data.customerId)"),
                ComputedField(name: "none", expression: "CASE WHEN data.amount > 100 THEN 'x' END"),
                ComputedField(name: "big", expression: "data.amount > 2"),
                ComputedField(name: "cents", expression: "CAST(data.amount * 100 AS BIGINT)"),
                ComputedField(name: "half", expression: "data.amount / 2"),
            ]))],
            sinks: [SinkSpec(topic: "every")], window: false))
        try run.send(raw: #"{"specversion":"1.0","id":"1","source":"/s","type":"t","time":"2025-01-01T00:00:00Z","data":{"customerId":"c\"q\\b\u0001","eventType":"x","amount":2.5}}"#)
        #expect(run.values(.sink(0)) == [
            #"{"specversion":"1.0","id":"1","source":"/s","type":"t","time":"2025-01-01T00:00:00Z","data":{"customerId":"c\"q\\b\u0001","eventType":"x","amount":2.5},"who":"C\"Q\\B\u0001","none":null,"big":true,"cents":250,"half":1.25}"#,
        ])
    }

    @Test("a plain-JSON source needs no CloudEvents attributes and reads epoch-millisecond time from a number field")
    func plainJSON() throws {
        var spec = Self.job()
        spec.source = SourceSpec(
            topic: "in", format: .json, key: FieldPath(["user"]), time: FieldPath(["ts"]),
            fields: [FieldSpec(path: FieldPath(["user"]), type: .string, required: true),
                     FieldSpec(path: FieldPath(["ts"]), type: .number, required: true),
                     FieldSpec(path: FieldPath(["data", "amount"]), type: .number, required: false)],
            watermark: WatermarkSpec(outOfOrdernessMs: 0))
        let run = try Run(spec)
        try run.send(raw: #"{"user":"u1","ts":1000,"data":{"amount":2}}"#)
        try run.send(raw: #"{"user":"u1","ts":"1970-01-01T00:00:01Z"}"#)
        try run.send(raw: #"{"user":"u1","ts":1.5}"#)
        try run.finish()
        #expect(run.outcomes == [.passed, .bad, .bad])
        let reasons = run.emitted.filter { $0.stream == .deadLetter }.map { $0.json["error"] as? String }
        #expect(reasons == ["field ts is not a number", "invalid time: ts is not a whole number of milliseconds"])
        let data = try #require(run.emitted.first { $0.stream == .result }?.json["data"] as? [String: Any])
        #expect(data["user"] as? String == "u1")
        #expect(data["windowStart"] as? String == "1970-01-01T00:00:00.000Z")
    }

    @Test("a number key groups by its text, in tumbling and session windows, with no filter or computed field")
    func numberKey() throws {
        for window in [WindowSpec.tumbling(sizeMs: 10_000), .session(gapMs: 10_000)] {
            var spec = Self.job(aggregations: [AggregationSpec(name: "bids", kind: .count)])
            spec.window?.window = window
            spec.source = SourceSpec(
                topic: "in", format: .json, key: FieldPath(["bidder"]), time: FieldPath(["ts"]),
                fields: [FieldSpec(path: FieldPath(["bidder"]), type: .number, required: true),
                         FieldSpec(path: FieldPath(["ts"]), type: .number, required: true)],
                watermark: WatermarkSpec(outOfOrdernessMs: 0))
            let run = try Run(spec)
            for (bidder, ts) in [("7", 1000), ("7.0", 2000), ("1e3", 3000), ("2.5", 4000), ("7", 5000)] {
                try run.send(raw: #"{"bidder":\#(bidder),"ts":\#(ts)}"#)
            }
            try run.finish()
            let counts = Dictionary(uniqueKeysWithValues: run.emitted.filter { $0.stream == .result }.compactMap { record in
                (record.json["data"] as? [String: Any]).map { ($0["bidder"] as? String ?? "?", $0["bids"] as? Int ?? -1) }
            })
            #expect(counts == ["7": 3, "1000": 1, "2.5": 1], "\(window)")
        }
    }

    @Test("a record reaching the window without its key is a dead letter; one a filter drops first is not")
    func missingKey() throws {
        var spec = Self.job(steps: [StepSpec(id: "purchases", operation: .filter("data.eventType = 'PURCHASE'"))])
        spec.source.fields[0].required = false
        let run = try Run(spec)
        try run.send(raw: #"{"specversion":"1.0","id":"1","source":"/s","type":"t","time":"2025-01-01T00:00:00Z","data":{"eventType":"PURCHASE"}}"#)
        try run.send(raw: #"{"specversion":"1.0","id":"2","source":"/s","type":"t","time":"2025-01-01T00:00:00Z","data":{"eventType":"VIEW"}}"#)
        try run.send("c1", at: 1_735_689_600_000)
        #expect(run.outcomes == [.bad, .filtered, .passed])
        let reasons = run.emitted.filter { $0.stream == .deadLetter }.map { $0.json["error"] as? String }
        #expect(reasons == ["step window: the key data.customerId is missing"])
    }
}
