import ArgumentParser
import Foundation
import Jobs
import StreamCore

/// `jobmanager replay`: a bounded run of one job over NDJSON files, for backfills and benchmarks.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay NDJSON files of CloudEvents through a job (backfill), writing NDJSON files.",
        discussion: """
            Each line of an input file is one record value. One task per input file (the file is \
            one partition: one watermark); at its end every window fires. Output: \
            <output-dir>/<topic>/part-<job>-<n>.jsonl, n the input file's position (from 0), \
            written as .inprogress and renamed when complete. No checkpoints: a failed replay is \
            rerun from the start. Prints a summary on stderr and a last line `RESULT {json}` on stdout.
            Exit codes: 0 done, 2 bad job definition or no such --job, 3 input missing, \
            5 output directory not writable, 1 anything else.
            """)

    @Argument(help: "Job definitions (YAML).")
    var file: String

    @Option(help: "The job to replay (needed when the file defines more than one).")
    var job: String?

    @Option(parsing: .upToNextOption,
            help: "Input NDJSON files, or directories (their *.jsonl and *.ndjson files, in name order).")
    var input: [String] = []

    @Option(help: "Where the output files go.")
    var outputDir: String

    @Option(help: "Worker threads; tasks (one per input file) are spread over them.")
    var slots = 1

    @Option(help: "Window rows each task keeps in memory; beyond it the oldest windows' rows spill to RocksDB.")
    var maxRowsInMemory = 2_000_000

    @Flag(help: "Encode every output record and drop it, writing no part files (Flink's blackhole sink): times a job without the file system.")
    var discardOutput = false

    func run() throws {
        let processStarted = Date()
        let spec = try selectedJob()
        let files: [String]
        do {
            files = try ReplayInputs.expand(input)
        } catch let error as FileReplayError {
            fail(error)
        }
        let runner = FileReplayRunner(jobs: [spec], inputs: files, outputDir: outputDir,
                                      options: .init(slots: slots, maxRowsInMemory: maxRowsInMemory, discardOutput: discardOutput))
        let startup = Date().timeIntervalSince(processStarted)
        let summary: FileReplaySummary
        do {
            summary = try runner.run()
        } catch let error as FileReplayError {
            fail(error)
        }
        let processSeconds = Date().timeIntervalSince(processStarted)
        for task in summary.tasks { report(task) }
        stderr("replayed \(summary.recordsIn) records of \(files.count) file(s) on \(summary.slots) slot(s) in "
               + "\(fixed(summary.wallSeconds)) s: \(Int(summary.eventsPerSecond.rounded())) events/s, "
               + "\(fixed(summary.cpuSeconds)) s CPU; " + (discardOutput ? "output discarded" : "output in \(outputDir)"))
        print("RESULT " + resultJSON(summary, job: spec.name, files: files.count, startup: startup, process: processSeconds))
    }

    private func selectedJob() throws -> JobSpec {
        let jobs: [JobSpec]
        do {
            jobs = try JobDefinitionLoader.load(path: file)
        } catch {
            stderr("error: \(error)")
            throw ExitCode(2)
        }
        if let job {
            guard let spec = jobs.first(where: { $0.name == job }) else {
                stderr("error: no job named \(job) in \(file)")
                throw ExitCode(2)
            }
            return spec
        }
        guard jobs.count == 1 else {
            stderr("error: \(file) defines \(jobs.count) jobs (\(jobs.map(\.name).joined(separator: ", "))): name one with --job")
            throw ExitCode(2)
        }
        return jobs[0]
    }

    private func report(_ t: FileReplayTaskSummary) {
        stderr("task \(t.job)/\(t.taskIndex) \(t.file): \(t.recordsIn) records (\(t.badRecords) bad, \(t.lateRecords) late) -> "
               + "\(t.out.result) results, \(t.out.alert) alerts, \(t.out.late) late, \(t.out.deadLetter) dead letters "
               + "in \(fixed(t.wallSeconds)) s (\(Int(t.eventsPerSecond.rounded())) events/s, \(fixed(t.cpuSeconds)) s CPU)")
    }

    /// One line for scripts (Benchmarks/flink-side-by-side.sh). `wall_s` is the replay itself;
    /// `process_s` adds what came before it in this process (job loading, input listing).
    private func resultJSON(_ s: FileReplaySummary, job: String, files: Int, startup: Double, process: Double) -> String {
        let out = s.out
        let result: [String: Any] = [
            "engine": "swift-stream", "job": job, "inputs": files, "tasks": s.tasks.count, "slots": s.slots,
            "events": s.recordsIn, "bytes_in": s.bytesIn, "bad": s.badRecords, "late": s.lateRecords,
            "records_out": ["result": out.result, "alert": out.alert, "late": out.late, "deadLetter": out.deadLetter],
            "wall_s": rounded(s.wallSeconds), "eps": Int(s.eventsPerSecond.rounded()),
            "cpu_s": rounded(s.cpuSeconds), "startup_s": rounded(startup), "process_s": rounded(process),
            "eps_process": process > 0 ? Int((Double(s.recordsIn) / process).rounded()) : 0,
            "peak_rss_mb": rounded(Double(peakResidentBytes()) / 1_048_576),
        ]
        let data = try! JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    private func peakResidentBytes() -> Int {
        var usage = rusage()
        #if canImport(Darwin)
        getrusage(RUSAGE_SELF, &usage)
        return usage.ru_maxrss
        #else
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss * 1024   // kilobytes on Linux
        #endif
    }

    private func fail(_ error: FileReplayError) -> Never {
        stderr("error: \(error)")
        ReplayCommand.exit(withError: ExitCode(error.exitCode))
    }

    private func stderr(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    private func rounded(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
    private func fixed(_ v: Double) -> String { String(format: "%.2f", v) }
}
