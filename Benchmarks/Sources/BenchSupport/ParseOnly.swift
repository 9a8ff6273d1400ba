import StreamCore

/// The parsing stage alone (RecordReader over every record), to split the pipeline's cost.
public enum ParseOnly {
    /// Returns the number of good records.
    public static func run(_ spec: JobSpec, _ input: GeneratedInput) -> Int {
        var reader = reader(for: try! CompiledJob.compile(spec).get())
        var good = 0
        input.forEach { _, _, value in
            if reader.read(value) == nil { good += 1 }
        }
        return good
    }

    /// The reader a task of `job` parses with.
    public static func reader(for job: CompiledJob) -> RecordReader {
        let source = job.spec.source
        return RecordReader(format: source.format, timeField: source.time, timeIsEpochMillis: source.timeIsEpochMillis,
                            fields: job.schema.readerFields, slots: job.readerSlots)
    }
}
