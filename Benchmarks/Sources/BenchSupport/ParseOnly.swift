import StreamCore

/// The parsing stage alone (CloudEventReader over every record), to split the pipeline's cost.
public enum ParseOnly {
    /// Returns the number of good records.
    public static func run(_ spec: JobSpec, _ input: GeneratedInput) -> Int {
        var reader = CloudEventReader(timeField: spec.timeField, fields: ReaderFields(spec).fields)
        var good = 0
        input.forEach { _, _, value in
            if reader.read(value) == nil { good += 1 }
        }
        return good
    }
}
