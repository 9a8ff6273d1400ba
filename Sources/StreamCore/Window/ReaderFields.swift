/// The fields a job's reader extracts: the declared ones plus any the key, filters and
/// aggregations name, each at a fixed index.
public struct ReaderFields: Sendable {
    public let fields: [FieldSpec]

    public init(_ spec: JobSpec) {
        var fields = spec.fields
        func ensure(_ path: FieldPath, _ type: FieldType, required: Bool) {
            if !fields.contains(where: { $0.path == path }) {
                fields.append(FieldSpec(path: path, type: type, required: required))
            }
        }
        ensure(spec.keyField, .string, required: true)
        for agg in spec.aggregations {
            if let f = agg.filter { ensure(f.field, .string, required: false) }
            if let field = agg.field { ensure(field, agg.kind == .countBy ? .string : .number, required: false) }
        }
        self.fields = fields
    }

    public func index(of path: FieldPath) -> Int {
        guard let i = fields.firstIndex(where: { $0.path == path }) else {
            preconditionFailure("field \(path) is not among the reader's fields")
        }
        return i
    }
}
