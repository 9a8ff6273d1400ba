import Foundation
import StreamCore
import TestSupport
import Testing

/// `jobmanager run` says what went wrong, with a distinct exit code, before any task starts.
@Suite(.serialized) struct RunExitCodeTests {
    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let dir = temporaryDirectory("exit-codes")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let process = try ChildProcess(binary: "jobmanager", arguments: ["run"] + arguments, logDir: dir)
        let status = try process.wait(timeoutSeconds: 60)
        return (status, process.logText)
    }

    @Test func badJobDefinitionExitsTwoWithFileLineAndReason() throws {
        let dir = temporaryDirectory("bad-yaml")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = "\(dir)/jobs.yaml"
        let yaml = try String(contentsOfFile: "\(packageRoot)/jobs.yaml", encoding: .utf8)
            .replacingOccurrences(of: "size: 5m", with: "size: 5 minutes")
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        let (status, output) = try run([file, "--bounded", "--bootstrap-servers", "127.0.0.1:1"])
        #expect(status == 2)
        #expect(output.contains("\(file):16:"))
        #expect(output.contains("window.size"))
    }

    @Test func unreachableBrokerExitsThree() throws {
        let (status, output) = try run(["\(packageRoot)/jobs.yaml", "--bounded", "--bootstrap-servers", "127.0.0.1:1",
                                        "--checkpoint-dir", temporaryDirectory("ck")])
        #expect(status == 3)
        #expect(output.contains("no Kafka broker reachable"))
    }

    @Test func missingTopicExitsFour() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        let (status, output) = try run(["\(packageRoot)/jobs.yaml", "--bounded", "--bootstrap-servers", cluster.bootstrapServers,
                                        "--checkpoint-dir", temporaryDirectory("ck")])
        #expect(status == 4)
        #expect(output.contains("topic bss.analytics.events does not exist"))
    }

    @Test func unwritableCheckpointDirectoryExitsFive() throws {
        let dir = temporaryDirectory("file-not-dir")
        let file = "\(dir)/plain-file"
        #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        let (status, output) = try run(["\(packageRoot)/jobs.yaml", "--bounded", "--bootstrap-servers", "127.0.0.1:1",
                                        "--checkpoint-dir", "\(file)/checkpoints"])
        #expect(status == 5)
        #expect(output.contains("checkpoint directory \(file)/checkpoints is not writable"))
    }
}
