/// The values a record carries through a job's pipeline, each in a fixed slot of one flat array:
/// the fields the reader extracts (the declared ones, then each CloudEvents attribute an expression
/// names, in the slot it got when first named), computed fields, and the window's hidden operands
/// (aggregation operands and conditions that are more than a name).
///
/// Steps read and write slots by index, so a record goes from step to step as views into its
/// input bytes plus the values steps computed, never as a decoded object.
public struct RecordSchema: Sendable {
    /// The CloudEvents attributes an expression may name without declaring them (all strings).
    public static let cloudEventAttributes = ["specversion", "id", "source", "type", "subject", "time",
                                              "datacontenttype", "dataschema"]

    public private(set) var readerFields: [FieldSpec]
    /// The slot of each reader field.
    public private(set) var readerSlots: [Int]
    public private(set) var slotTypes: [ValueType] = []
    /// Names an expression may use, to their slots; a computed field shadows nothing (names are unique).
    private var bindings: [FieldPath: NameBinding] = [:]
    private let format: RecordFormat

    public init(source: SourceSpec) {
        format = source.format
        readerFields = source.fields
        readerSlots = Array(source.fields.indices)
        for (i, field) in source.fields.enumerated() {
            let type = ValueType(field.type)
            slotTypes.append(type)
            bindings[field.path] = NameBinding(slot: i, type: type)
        }
    }

    public var slotCount: Int { slotTypes.count }

    /// Every name an expression of this job may use (for did-you-mean hints).
    public var knownNames: [String] {
        var names = bindings.keys.map(\.description)
        if format == .cloudevents {
            names += Self.cloudEventAttributes.filter { bindings[FieldPath([$0])] == nil }
        }
        return names.sorted()
    }

    /// The slot of `path`: a declared field, a computed field, or (CloudEvents) an attribute, which
    /// becomes an optional string field of the reader the first time an expression names it.
    public mutating func resolve(_ path: FieldPath) -> NameBinding? {
        if let found = bindings[path] { return found }
        guard format == .cloudevents, path.components.count == 1,
              Self.cloudEventAttributes.contains(path.components[0]) else { return nil }
        readerFields.append(FieldSpec(path: path, type: .string, required: false))
        slotTypes.append(.string)
        readerSlots.append(slotTypes.count - 1)
        let binding = NameBinding(slot: slotTypes.count - 1, type: .string)
        bindings[path] = binding
        return binding
    }

    /// Whether `name` is taken by a field or an earlier computed field.
    public func isBound(_ name: String) -> Bool { bindings[FieldPath([name])] != nil }

    /// A new slot for computed field `name`, named from here on.
    public mutating func addComputed(_ name: String, type: ValueType) -> Int {
        let slot = addHidden(type: type)
        bindings[FieldPath([name])] = NameBinding(slot: slot, type: type)
        return slot
    }

    /// A new slot no expression can name (a window's compound operand or condition).
    public mutating func addHidden(type: ValueType) -> Int {
        slotTypes.append(type)
        return slotTypes.count - 1
    }
}

extension ValueType {
    init(_ type: FieldType) {
        switch type {
        case .string: self = .string
        case .number: self = .number
        case .boolean: self = .boolean
        }
    }
}
