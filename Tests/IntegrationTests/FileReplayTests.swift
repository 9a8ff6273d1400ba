import BSSTools
import Foundation
import Jobs
import StreamCore
import TestSupport
import Testing

/// Input files written for a test, and the oracle's view of them: record i of file f is line
/// i + 1 of that file, partition f.
private struct ReplayInput {
    let dir: String
    var files: [String] = []
    var records: [[InputRecord]] = []

    init(dir: String) { self.dir = dir }

    /// One file of the given lines; blank lines are written too but are not records.
    mutating func add(_ name: String, lines: [[UInt8]]) throws {
        let path = "\(dir)/\(name)"
        var bytes: [UInt8] = []
        var records: [InputRecord] = []
        for (i, line) in lines.enumerated() {
            bytes += line + [UInt8(ascii: "\n")]
            if !line.isEmpty {
                records.append(InputRecord(partition: Int32(files.count), offset: Int64(i + 1), key: [], value: line))
            }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        files.append(path)
        self.records.append(records)
    }
}

/// (topic, comparable value) of every line of `part-<job>-<task>.jsonl` under the output topics.
private func outputRecords(_ outputDir: String, job: String, task: Int) throws -> [ExpectedRecord] {
    var found: [ExpectedRecord] = []
    for topic in BSSOutputVerification.outputTopics {
        let path = "\(outputDir)/\(topic)/part-\(job)-\(task).jsonl"
        guard let data = FileManager.default.contents(atPath: path) else { continue }
        for line in data.split(separator: UInt8(ascii: "\n")) {
            found.append(ExpectedRecord(topic: topic, key: "", value: SpecReference.canonical(topic: topic, value: Array(line))))
        }
    }
    return found
}

private func lines(_ path: String) -> [String] {
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    return data.split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }
}

/// Multiset difference of (topic, value), keys ignored: output files carry values only.
private func unmatched(_ a: [ExpectedRecord], _ b: [ExpectedRecord]) -> [ExpectedRecord] {
    var remaining: [String: Int] = [:]
    for r in b { remaining[r.topic + " " + r.value, default: 0] += 1 }
    return a.filter { r in
        let id = r.topic + " " + r.value
        guard let n = remaining[id], n > 0 else { return true }
        remaining[id] = n - 1
        return false
    }
}

private func shippedJob(_ name: String) throws -> JobSpec {
    try JobDefinitionLoader.load(path: "\(packageRoot)/jobs.yaml").first { $0.name == name }!
}

private func customerEvent(_ id: String, _ time: String, _ customer: String, _ type: String) -> [UInt8] {
    Array("""
        {"specversion":"1.0","id":"\(id)","source":"/bss/customers","type":"bss.customer.event","time":"\(time)",\
        "subject":"\(customer)","datacontenttype":"application/json","data":{"customerId":"\(customer)","eventType":"\(type)"}}
        """.utf8)
}

/// `jobmanager replay` / `FileReplayRunner`: both BSS jobs over NDJSON files give exactly what
/// docs/bss-jobs.md defines for each file taken as one partition, in one part file per input file.
@Suite(.serialized) struct FileReplayTests {
    /// Generated events of one input topic split by partition into two files, as a topic
    /// partitioned by customer would be exported (late, bad and, for orders, fraud-burst records).
    private func generatedInput(_ topic: String, dir: String) throws -> ReplayInput {
        var options = BSSEventGenerator.Options()
        options.seed = 7
        options.customers = 200
        options.partitions = 2
        options.eventsPerSecond = 20
        var generator = BSSEventGenerator(options: options)
        var perFile: [[[UInt8]]] = [[], []]
        for _ in 0..<12_000 {
            let record = topic == BSSEventGenerator.customerTopic ? generator.nextCustomerEvent() : generator.nextOrderEvent()
            perFile[Int(record.partition)].append(record.value)
        }
        var input = ReplayInput(dir: dir)
        for (i, lines) in perFile.enumerated() { try input.add("\(topic)-\(i).jsonl", lines: lines) }
        return input
    }

    private func replayMatchesTheReference(job: String, topic: String,
                                           reference: ([InputRecord]) -> [ExpectedRecord]) throws -> FileReplaySummary {
        let dir = temporaryDirectory("replay-\(job)")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = try generatedInput(topic, dir: dir)
        let out = "\(dir)/out"
        let summary = try FileReplayRunner(jobs: [shippedJob(job)], inputs: input.files, outputDir: out,
                                           options: .init(slots: 2)).run()
        for task in 0..<2 {
            let expected = reference(input.records[task])
            let actual = try outputRecords(out, job: job, task: task)
            let missing = unmatched(expected, actual), extra = unmatched(actual, expected)
            #expect(missing.isEmpty && extra.isEmpty,
                    "task \(task): \(expected.count) expected, \(actual.count) found; missing \(missing.prefix(2)), extra \(extra.prefix(2))")
            #expect(summary.tasks[task].recordsIn == Int64(input.records[task].count))
        }
        let leftovers = FileManager.default.enumerator(atPath: out)?.allObjects as? [String] ?? []
        #expect(!leftovers.contains { $0.hasSuffix(".inprogress") || $0.hasPrefix(".replay-state") }, "\(leftovers)")
        return summary
    }

    @Test func customerAnalyticsOverTwoFilesWritesExactlyTheReferenceOutputPerFile() throws {
        let summary = try replayMatchesTheReference(job: "customer-analytics", topic: BSSEventGenerator.customerTopic,
                                                    reference: SpecReference.customerAnalytics)
        // The input exercised every path: windows, late records, bad records.
        #expect(summary.out.result > 0 && summary.lateRecords > 0 && summary.badRecords > 0)
        #expect(summary.out.late == summary.lateRecords && summary.out.deadLetter == summary.badRecords)
    }

    @Test func orderFraudOverTwoFilesWritesExactlyTheReferenceOutputPerFile() throws {
        let summary = try replayMatchesTheReference(job: "order-fraud", topic: BSSEventGenerator.orderTopic,
                                                    reference: SpecReference.orderFraud)
        #expect(summary.out.result > 0 && summary.out.alert > 0 && summary.badRecords > 0)
    }

    @Test func malformedLineIsADeadLetterAtItsLineNumberAndLateRecordGoesToTheLateFile() throws {
        let dir = temporaryDirectory("replay-bad-late")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var input = ReplayInput(dir: dir)
        try input.add("a.jsonl", lines: [customerEvent("a1", "2025-11-04T10:00:01Z", "C1", "LOGIN")])
        let late = customerEvent("b3", "2025-11-04T10:04:00Z", "C2", "LOGIN")
        try input.add("b.jsonl", lines: [
            customerEvent("b1", "2025-11-04T10:00:01Z", "C2", "LOGIN"),
            customerEvent("b2", "2025-11-04T10:05:06Z", "C2", "PURCHASE"),   // closes [10:00, 10:05)
            late,
            [],
            Array("{not json".utf8),                                        // line 5
            customerEvent("b4", "2025-11-04T10:06:00Z", "C2", "PURCHASE"),   // after it: still processed
        ])
        let out = "\(dir)/out"
        let summary = try FileReplayRunner(jobs: [shippedJob("customer-analytics")], inputs: input.files, outputDir: out).run()

        let deadLetters = lines("\(out)/bss.deadletter/part-customer-analytics-1.jsonl")
        #expect(deadLetters.count == 1)
        let letter = try #require(try JSONSerialization.jsonObject(with: Data(deadLetters.first?.utf8 ?? "".utf8)) as? [String: Any])
        #expect(letter["job"] as? String == "customer-analytics")
        #expect(letter["topic"] as? String == "bss.customer.events")
        #expect(letter["partition"] as? Int == 1)
        #expect(letter["offset"] as? Int == 5)
        #expect(letter["raw"] as? String == "{not json")
        #expect(lines("\(out)/bss.customer.events.late/part-customer-analytics-1.jsonl") == [String(decoding: late, as: UTF8.self)])

        let windows = lines("\(out)/bss.analytics.events/part-customer-analytics-1.jsonl")
        #expect(windows.count == 2)
        #expect(windows.last?.contains(#""windowStart":"2025-11-04T10:05:00.000Z""#) == true)
        #expect(windows.last?.contains(#""eventCount":2,"#) == true)

        // The other file is its own partition: untouched by the first's watermark, with empty files
        // for the streams it had nothing for.
        #expect(lines("\(out)/bss.analytics.events/part-customer-analytics-0.jsonl").count == 1)
        #expect(FileManager.default.fileExists(atPath: "\(out)/bss.deadletter/part-customer-analytics-0.jsonl"))
        #expect(lines("\(out)/bss.deadletter/part-customer-analytics-0.jsonl").isEmpty)
        #expect(summary.badRecords == 1 && summary.lateRecords == 1 && summary.recordsIn == 6)

        // All of it is what the reference says, too.
        for task in 0..<2 {
            let expected = SpecReference.customerAnalytics(input.records[task])
            let actual = try outputRecords(out, job: "customer-analytics", task: task)
            #expect(unmatched(expected, actual).isEmpty && unmatched(actual, expected).isEmpty)
        }
    }

    @Test func replayBinaryReadsADirectoryAndEndsWithAResultLine() throws {
        let dir = temporaryDirectory("replay-binary")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let inputDir = "\(dir)/in"
        try FileManager.default.createDirectory(atPath: inputDir, withIntermediateDirectories: true)
        let input = try generatedInput(BSSEventGenerator.customerTopic, dir: inputDir)
        try Data("not an input\n".utf8).write(to: URL(fileURLWithPath: "\(inputDir)/notes.txt"))
        let out = "\(dir)/out"
        let process = try ChildProcess(binary: "jobmanager", arguments: [
            "replay", "\(packageRoot)/jobs.yaml", "--job", "customer-analytics", "--input", inputDir,
            "--output-dir", out, "--slots", "2"], logDir: dir)
        #expect(try process.wait() == 0, "\(process.logText)")

        let resultLine = try #require(process.logText.split(separator: "\n").last { $0.hasPrefix("RESULT ") })
        let result = try #require(try JSONSerialization.jsonObject(with: Data(resultLine.dropFirst(7).utf8)) as? [String: Any])
        let events = input.records.reduce(0) { $0 + $1.count }
        #expect(result["events"] as? Int == events)
        #expect(result["tasks"] as? Int == 2)
        let counts = try #require(result["records_out"] as? [String: Any])
        let results = (0..<2).reduce(0) { $0 + lines("\(out)/bss.analytics.events/part-customer-analytics-\($1).jsonl").count }
        #expect(counts["result"] as? Int == results && results > 0)
        #expect((result["wall_s"] as? Double).map { $0 > 0 } == true)
        #expect(result["eps"] as? Int != nil)
    }

    @Test func discardedOutputCountsWhatTheFilesWouldHoldAndWritesNone() throws {
        let dir = temporaryDirectory("replay-discard")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = try generatedInput(BSSEventGenerator.orderTopic, dir: dir)
        let job = try shippedJob("order-fraud")
        let written = try FileReplayRunner(jobs: [job], inputs: input.files, outputDir: "\(dir)/files").run()
        let discarded = try FileReplayRunner(jobs: [job], inputs: input.files, outputDir: "\(dir)/none",
                                             options: .init(discardOutput: true)).run()
        #expect(written.out.result > 0 && written.out.alert > 0 && written.out.deadLetter > 0)
        #expect(discarded.out == written.out && discarded.recordsIn == written.recordsIn)
        let left = FileManager.default.enumerator(atPath: "\(dir)/none")?.allObjects as? [String] ?? []
        #expect(left.isEmpty, "\(left)")
    }

    @Test func replayBinaryExitsThreeOnMissingInputAndTwoOnAnUnknownJob() throws {
        let dir = temporaryDirectory("replay-exit")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let missing = try ChildProcess(binary: "jobmanager", arguments: [
            "replay", "\(packageRoot)/jobs.yaml", "--job", "customer-analytics", "--input", "\(dir)/nope.jsonl",
            "--output-dir", "\(dir)/out"], logDir: dir)
        #expect(try missing.wait(timeoutSeconds: 60) == 3)
        #expect(missing.logText.contains("\(dir)/nope.jsonl does not exist"))

        let unknown = try ChildProcess(binary: "jobmanager", arguments: [
            "replay", "\(packageRoot)/jobs.yaml", "--job", "no-such-job", "--input", dir, "--output-dir", "\(dir)/out"],
                                       logDir: dir)
        #expect(try unknown.wait(timeoutSeconds: 60) == 2)
        #expect(unknown.logText.contains("no job named no-such-job"))
    }
}
