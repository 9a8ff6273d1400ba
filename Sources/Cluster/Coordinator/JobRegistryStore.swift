import Foundation

/// The job registry on disk: one JSON file per job under `<checkpointDir>/jobmanager/jobs`, next
/// to the checkpoints it refers to, so a restarted jobmanager resumes what was running.
struct JobRegistryStore: Sendable {
    let directory: String

    init(checkpointDir: String) {
        directory = "\(checkpointDir)/jobmanager/jobs"
    }

    func save(_ job: JobRecord) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        // Atomic: a jobmanager killed mid-write leaves the previous version.
        try encoder.encode(job).write(to: URL(fileURLWithPath: "\(directory)/\(job.id).json"), options: .atomic)
    }

    func loadAll() throws -> [JobRecord] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try names.filter { $0.hasSuffix(".json") }.map { name in
            try decoder.decode(JobRecord.self, from: Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(name)")))
        }.sorted { $0.submittedAt < $1.submittedAt }
    }
}
