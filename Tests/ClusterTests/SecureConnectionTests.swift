import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOSSL
import TestSupport
import Testing

/// HTTPS for the REST API and the taskmanagers' link, with certificates made here by `openssl`;
/// the read-only token; secrets that never show in a log line or an answer.
@Suite(.serialized) struct SecureConnectionTests {
    static let password = "s3cr3t-sasl-pa55"

    /// A CA, a certificate for 127.0.0.1 signed by it, and a second CA that signed nothing.
    struct Certificates {
        let dir: String
        var ca: String { "\(dir)/ca.pem" }
        var otherCA: String { "\(dir)/other-ca.pem" }
        var cert: String { "\(dir)/server.pem" }
        var key: String { "\(dir)/server.key" }

        init(dir: String) throws {
            self.dir = dir
            try Self.openssl(dir, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test CA",
                                   "-keyout", "ca.key", "-out", "ca.pem"])
            try Self.openssl(dir, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=other CA",
                                   "-keyout", "other-ca.key", "-out", "other-ca.pem"])
            try Self.openssl(dir, ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                                   "-keyout", "server.key", "-out", "server.csr"])
            try "subjectAltName=IP:127.0.0.1\n".write(toFile: "\(dir)/san.ext", atomically: true, encoding: .utf8)
            try Self.openssl(dir, ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                                   "-days", "2", "-extfile", "san.ext", "-out", "server.pem"])
        }

        private static func openssl(_ dir: String, _ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: dir)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw TestFailure("openssl \(arguments.joined(separator: " ")) failed") }
        }
    }

    /// GET or POST over HTTPS trusting `ca`.
    struct Client {
        let base: String
        let http: HTTPClient

        init(base: String, ca: String) {
            self.base = base
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .file(ca)
            http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        }

        func send(_ method: String, _ path: String, token: String?, body: String? = nil) async throws -> (status: Int, text: String) {
            var request = HTTPClientRequest(url: base + path)
            request.method = .init(rawValue: method)
            if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            if let body { request.body = .bytes(ByteBuffer(string: body)) }
            let response = try await http.execute(request, timeout: .seconds(30))
            let bytes = try await response.body.collect(upTo: 16 << 20)
            return (Int(response.status.code), String(buffer: bytes))
        }
    }

    @Test func httpsApiWithAReadTokenATrustedTaskManagerAndNoSecretInLogsOrAnswers() async throws {
        let dir = temporaryDirectory("secure")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let certs = try Certificates(dir: dir)
        // The jobmanager's own Kafka clients get a SASL password (PLAIN over PLAINTEXT is what the
        // embedded cluster would need; it does not check it, so only its absence from output is tested).
        try "# Kafka security\nsasl.username = engine\nsasl.password = \(Self.password)\n".write(toFile: "\(dir)/kafka.properties", atomically: true, encoding: .utf8)
        let port = freePort()
        let jobManager = try ChildProcess(binary: "jobmanager", arguments: [
            "serve", "--port", String(port), "--checkpoint-dir", "\(dir)/checkpoints", "--token", "admin", "--read-token", "reader",
            "--tls-cert", certs.cert, "--tls-key", certs.key, "--kafka-properties", "\(dir)/kafka.properties",
        ], logDir: dir)
        defer { jobManager.kill9() }
        let base = "https://127.0.0.1:\(port)"
        let client = Client(base: base, ca: certs.ca)
        do {
            try await check(client, base: base, port: port, certs: certs, dir: dir, jobManager: jobManager)
        } catch {
            try? await client.http.shutdown()
            throw error
        }
        try await client.http.shutdown()
    }

    private func check(_ client: Client, base: String, port: Int, certs: Certificates, dir: String, jobManager: ChildProcess) async throws {
        try await poll("the jobmanager answering over HTTPS") { (try? await client.send("GET", "/healthz", token: nil))?.status == 200 }

        let trusted = try ChildProcess(binary: "taskmanager", arguments: [
            "--jobmanager", base, "--tls-ca", certs.ca, "--token", "admin", "--slots", "1", "--name", "trusted",
        ], logDir: dir)
        defer { trusted.kill9() }
        let untrusting = try ChildProcess(binary: "taskmanager", arguments: [
            "--jobmanager", base, "--tls-ca", certs.otherCA, "--token", "admin", "--slots", "1", "--name", "untrusting",
        ], logDir: dir)
        defer { untrusting.kill9() }

        var answers: [String] = []
        try await poll("the trusting taskmanager registered") {
            let reply = try await client.send("GET", "/taskmanagers", token: "reader")
            answers.append(reply.text)
            return reply.status == 200 && reply.text.contains("trusted")
        }
        try await poll("the other taskmanager refusing the jobmanager's certificate") {
            untrusting.logText.contains("cannot register") && untrusting.logText.lowercased().contains("certificate")
        }
        #expect(!(try await client.send("GET", "/taskmanagers", token: "reader")).text.contains("untrusting"))

        // Reads need a token; the read token reads but changes nothing; the console page stays open.
        #expect(try await client.send("GET", "/jobs", token: nil).status == 401)
        #expect(try await client.send("GET", "/jobs", token: "wrong").status == 401)
        let read = try await client.send("GET", "/overview", token: "reader")
        #expect(read.status == 200)
        #expect(try await client.send("GET", "/jobs", token: "admin").status == 200)
        let refused = try await client.send("POST", "/jobs", token: "reader", body: "jobs: []")
        #expect(refused.status == 403, "\(refused.text)")
        #expect(try await client.send("GET", "/", token: nil).status == 200)
        answers += [read.text, refused.text, try await client.send("GET", "/metrics", token: "reader").text]

        // Plain HTTP on the HTTPS port gets no answer from the API.
        #expect((try? await RestClient(base: "http://127.0.0.1:\(port)").get("/overview"))?.status != 200)

        #expect(jobManager.logText.contains("sasl.password=<redacted>"), "the settings are logged, redacted")
        for (what, text) in [("jobmanager log", jobManager.logText), ("taskmanager log", trusted.logText)] + answers.map({ ("answer", $0) }) {
            #expect(!text.contains(Self.password), "the SASL password shows in a \(what)")
        }
    }
}
