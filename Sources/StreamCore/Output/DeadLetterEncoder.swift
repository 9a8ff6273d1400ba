/// Writes the dead-letter record of a bad input record (docs/bss-jobs.md §6). Bad records are rare, so this
/// path may allocate. Public so the engine-only benchmark runs a task's exact per-record path.
public struct DeadLetterEncoder: Sendable {
    static let rawLimit = 4096
    private let prefix: [UInt8]

    public init(job: String, topic: String) {
        prefix = Array("{\"job\":".utf8) + JSONText.quoted(job) + Array(",\"topic\":".utf8) + JSONText.quoted(topic)
    }

    public func encode(into batch: inout OutputBatch, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer,
                partition: Int32, offset: Int64, error: String) {
        let marks = batch.beginRecord(key: key)
        batch.writer.bytes.append(contentsOf: prefix)
        batch.writer.raw(",\"partition\":")
        batch.writer.int(Int64(partition))
        batch.writer.raw(",\"offset\":")
        batch.writer.int(offset)
        batch.writer.raw(",\"error\":")
        batch.writer.string(error)
        batch.writer.raw(",\"raw\":")
        let kept = UnsafeRawBufferPointer(rebasing: value.prefix(DeadLetterEncoder.rawLimit))
        batch.writer.string(String(decoding: kept, as: UTF8.self))
        batch.writer.raw("}")
        batch.endRecord(.deadLetter, marks)
    }
}
