import Cluster
import Foundation
import TestSupport
import Testing

/// Every kind of malformed request gets a 4xx with a JSON error saying why, never a 500: an
/// unknown path, method or id, broken JSON or a missing field, a wrong content type, an oversized
/// body, a bad query value. Against the real jobmanager binary.
@Suite struct MalformedRequestTests {
    @Test func eachKindIsRefusedWithAJSONError() async throws {
        let dir = temporaryDirectory("malformed")
        let jm = try JobManagerServer(port: freePort(), checkpointDir: "\(dir)/checkpoints", bootstrapServers: nil)
        defer {
            if jm.process.isRunning { jm.kill9() }
            try? FileManager.default.removeItem(atPath: dir)
        }
        let rest = RestClient(base: jm.url)
        try await poll("jobmanager serving") { (try? await rest.get("/healthz"))?.status == 200 }
        let auth = ["Authorization": "Bearer \(ClusterRun.token)"]
        let json = auth.merging(["Content-Type": "application/json"]) { a, _ in a }

        func expect(_ status: Int, _ reply: RestClient.Reply, saying: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            #expect(reply.status == status, "\(reply.status) \(reply.text)", sourceLocation: sourceLocation)
            #expect(reply.contentType?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
            let failure = try reply.decode(RestViews.Failure.self)
            #expect(failure.error.contains(saying), "\(failure.error)", sourceLocation: sourceLocation)
        }

        // Unknown paths, methods and ids.
        try expect(404, try await rest.get("/nope"), saying: "no such endpoint: GET /nope")
        try expect(404, try await rest.send("DELETE", "/jobs", headers: auth), saying: "no such endpoint")
        try expect(404, try await rest.get("/jobs/nope"), saying: "no job nope")
        for sub in ["checkpoints", "exceptions", "plan"] {
            try expect(404, try await rest.get("/jobs/nope/\(sub)"), saying: "no job nope")
        }
        try expect(404, try await rest.post("/jobs/nope/cancel"), saying: "no job nope")
        try expect(404, try await rest.get("/taskmanagers/tm-nope"), saying: "no taskmanager tm-nope")
        try expect(404, try await rest.send("POST", "/taskmanagers/tm-nope/heartbeat", body: Data(#"{"tasks":[]}"#.utf8), headers: json),
                   saying: "unknown taskmanager tm-nope")

        // Broken JSON, missing fields, wrong types, values out of range: 400 saying what.
        try expect(400, try await rest.send("POST", "/taskmanagers", body: Data(#"{"host": "a", "slots": "#.utf8), headers: json),
                   saying: "not valid JSON")
        try expect(400, try await rest.send("POST", "/taskmanagers", body: Data(#"{"host": "a"}"#.utf8), headers: json),
                   saying: "missing field slots")
        try expect(400, try await rest.send("POST", "/taskmanagers", body: Data(#"{"host": "a", "slots": "four"}"#.utf8), headers: json),
                   saying: "expected Int at slots")
        try expect(400, try await rest.send("POST", "/taskmanagers", body: Data(#"{"host": "a", "slots": 0}"#.utf8), headers: json),
                   saying: "slots must be between 1 and 4096")
        try expect(400, try await rest.send("POST", "/taskmanagers", body: Data(), headers: json), saying: "not valid JSON")
        let registered = try await rest.send("POST", "/taskmanagers", body: Data(#"{"host": "a", "slots": 2}"#.utf8), headers: json)
            .decode(RegistrationResponse.self)
        try expect(400, try await rest.send("POST", "/taskmanagers/\(registered.taskManagerId)/heartbeat",
                                           body: Data(#"{"tasks": [{"key": 1}]}"#.utf8), headers: json),
                   saying: "invalid HeartbeatRequest body")
        try expect(400, try await rest.send("POST", "/taskmanagers/\(registered.taskManagerId)/heartbeat",
                                           body: Data("not json".utf8), headers: json), saying: "not valid JSON")
        try expect(400, try await rest.post("/jobs?bounded=maybe", body: "jobs: []"), saying: "bounded must be true or false")
        try expect(400, try await rest.send("POST", "/jobs", body: Data([0xff, 0xfe, 0x00]), headers: auth), saying: "not UTF-8")
        try expect(400, try await rest.post("/jobs", body: "jobs: [unclosed"), saying: "invalid YAML")

        // A content type other than JSON on the JSON endpoints: 415.
        try expect(415, try await rest.send("POST", "/taskmanagers", body: Data(#"{"host": "a", "slots": 2}"#.utf8),
                                           headers: auth.merging(["Content-Type": "text/plain"]) { a, _ in a }),
                   saying: "Content-Type: application/json")
        try expect(415, try await rest.send("POST", "/taskmanagers/\(registered.taskManagerId)/heartbeat", body: Data(#"{"tasks":[]}"#.utf8),
                                           headers: auth.merging(["Content-Type": "application/x-www-form-urlencoded"]) { a, _ in a }),
                   saying: "not application/x-www-form-urlencoded")

        // Oversized bodies: 413.
        let big = Data(repeating: UInt8(ascii: " "), count: 5 << 20)
        try expect(413, try await rest.send("POST", "/jobs", body: big, headers: auth), saying: "larger than")
        try expect(413, try await rest.send("POST", "/taskmanagers", body: Data(repeating: UInt8(ascii: " "), count: 17 << 20), headers: json),
                   saying: "larger than")

        // Still serving, and no request above was a fault of the jobmanager.
        #expect(try await rest.get("/healthz").status == 200)
        #expect(!jm.logText.contains("request failed"), "\(jm.logText.suffix(2000))")
    }
}
