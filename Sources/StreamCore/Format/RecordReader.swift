/// Parses one record per call from raw bytes, a CloudEvent (docs/bss-jobs.md, "Input records") or
/// any JSON object, extracting only the listed fields.
///
/// One pass validates the whole value as JSON (RFC 8259, UTF-8, nesting up to 64) and picks up the values
/// of the looked-for keys by comparing key bytes against a precompiled `PathTable`. Reused across records:
/// no allocation on the success path (each record is copied into a zero-padded buffer for the scanner, and
/// strings with escapes are unescaped into a scratch buffer; both grow only when a record is larger than any
/// before). A copy of a reader gets its own buffers on its next `read` (copy-on-write), so copies may go to
/// other threads.
public struct RecordReader: Sendable {
    private var storage: RecordReaderStorage

    /// `fields`: the fields to extract and validate. The time field is extracted too: RFC 3339 text
    /// (docs/bss-jobs.md, "Details"), or with `timeIsEpochMillis` a number of milliseconds. CloudEvents
    /// also need string `specversion`, `id`, `source` and `type`.
    /// `slots`: where `fill` puts each field (default: field i in slot i); -1 for a field only
    /// validated, which `fill` skips.
    public init(format: RecordFormat = .cloudevents, timeField: FieldPath, timeIsEpochMillis: Bool = false,
                fields: [FieldSpec], slots: [Int]? = nil) {
        storage = RecordReaderStorage(format: format, timeField: timeField, timeIsEpochMillis: timeIsEpochMillis,
                                      fields: fields, slots: slots ?? Array(fields.indices))
    }

    /// Returns nil when the record is good (accessors then describe it), else why it is bad.
    public mutating func read(_ value: UnsafeRawBufferPointer) -> BadRecord? {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.fresh() }
        return storage.read(value)
    }

    /// Event time in ms since epoch of the last good record.
    public var eventTimeMs: Int64 { storage.eventTimeMs }

    /// Whether field `index` (its position in `fields`) was present and not null in the last good record.
    public func isPresent(_ index: Int) -> Bool {
        let kind = storage.value(ofField: index).kind
        return kind == .string || kind == .number || kind == .bool
    }

    /// The fields of the last good record as expression values, each into its slot. Mutating
    /// only so that a reader held in a class is accessed in place, without retaining its storage.
    @inline(__always)
    public mutating func fill(_ slots: UnsafeMutablePointer<ExprValue>) { storage.fill(slots) }

    /// Value of number field `index`; meaningful only when it is present.
    public func number(_ index: Int) -> Double { storage.number(ofField: index) }

    /// UTF-8 of present string field `index`, unescaped; valid until the next `read`.
    public func stringBytes(_ index: Int) -> UnsafeRawBufferPointer { storage.stringBytes(ofField: index) }
}

/// The reader's tables and buffers, allocated once; raw pointers keep the per-record path free of
/// reference counting and exclusivity checks.
final class RecordReaderStorage: @unchecked Sendable {
    private static let attributes = ["specversion", "id", "source", "type"]

    private let format: RecordFormat
    private let timeField: FieldPath
    private let timeIsEpochMillis: Bool
    private let fields: [FieldSpec]
    private let slotOf: [Int]
    /// The fields `fill` copies: their nodes and slots.
    private let fillNodes: UnsafeMutablePointer<Int>
    private let fillSlots: UnsafeMutablePointer<Int>
    private let fillCount: Int
    private let nodeCount: Int
    private let fieldCount: Int
    /// Flat copies of the fields' types and flags: reading the specs per record would retain their paths.
    private let fieldTypes: UnsafeMutablePointer<FieldType>
    private let fieldRequired: UnsafeMutablePointer<Bool>
    private let nodes: UnsafeMutablePointer<PathTable.Node>
    private let children: UnsafeMutablePointer<PathTable.Child>
    private let buckets: UnsafeMutablePointer<Int32>
    private let names: UnsafeMutablePointer<UInt8>
    private let results: UnsafeMutablePointer<NodeValue>
    private let sawEscapedString: UnsafeMutablePointer<Bool>
    /// Node of each field, then of the four attributes, then of the time field.
    private let fieldNodes: UnsafeMutablePointer<Int>
    /// The value of each node whose result is a number (set by the scanner).
    private let numbers: UnsafeMutablePointer<Double>
    private let timeCache: UnsafeMutablePointer<RFC3339.MinuteCache>
    /// The record being read, followed by `JSONScanner.padding` zero bytes, and the unescaped strings; each
    /// holds at least `capacity` bytes (plus the padding).
    private var text: UnsafeMutablePointer<UInt8>
    private var scratch: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var eventTimeMs: Int64 = 0

    init(format: RecordFormat, timeField: FieldPath, timeIsEpochMillis: Bool, fields: [FieldSpec], slots: [Int]) {
        precondition(slots.count == fields.count, "one slot per field")
        self.format = format
        slotOf = slots
        let filled = slots.indices.filter { slots[$0] >= 0 }
        fillCount = filled.count
        fillSlots = .allocate(capacity: max(fillCount, 1))
        fillSlots.initialize(from: filled.map { slots[$0] }, count: fillCount)
        fillNodes = .allocate(capacity: max(fillCount, 1))
        self.timeField = timeField
        self.timeIsEpochMillis = timeIsEpochMillis
        self.fields = fields
        fieldCount = fields.count
        fieldTypes = .allocate(capacity: max(fieldCount, 1))
        fieldTypes.initialize(from: fields.map(\.type), count: fieldCount)
        fieldRequired = .allocate(capacity: max(fieldCount, 1))
        fieldRequired.initialize(from: fields.map(\.required), count: fieldCount)
        var nodeOf: [Int] = []
        let paths = fields.map(\.path) + Self.attributes.map { FieldPath([$0]) } + [timeField]
        let table = PathTable(paths: paths, nodeOf: &nodeOf)
        nodeCount = table.nodes.count
        nodes = .allocate(capacity: nodeCount)
        nodes.initialize(from: table.nodes, count: nodeCount)
        children = .allocate(capacity: max(table.children.count, 1))
        children.initialize(from: table.children, count: table.children.count)
        buckets = .allocate(capacity: max(table.buckets.count, 1))
        buckets.initialize(from: table.buckets, count: table.buckets.count)
        names = .allocate(capacity: max(table.names.count, 1))
        names.initialize(from: table.names, count: table.names.count)
        results = .allocate(capacity: nodeCount)
        results.initialize(repeating: .absent, count: nodeCount)
        sawEscapedString = .allocate(capacity: 1)
        sawEscapedString.initialize(to: false)
        fieldNodes = .allocate(capacity: nodeOf.count)
        fieldNodes.initialize(from: nodeOf, count: nodeOf.count)
        fillNodes.initialize(from: slots.indices.filter { slots[$0] >= 0 }.map { nodeOf[$0] }, count: fillCount)
        numbers = .allocate(capacity: nodeCount)
        numbers.initialize(repeating: 0, count: nodeCount)
        timeCache = .allocate(capacity: 1)
        timeCache.initialize(to: RFC3339.MinuteCache())
        capacity = 1024
        text = .allocate(capacity: capacity + JSONScanner.padding)
        scratch = .allocate(capacity: capacity)
    }

    deinit {
        nodes.deallocate()
        children.deallocate()
        buckets.deallocate()
        sawEscapedString.deallocate()
        names.deallocate()
        results.deallocate()
        fieldNodes.deallocate()
        numbers.deallocate()
        timeCache.deallocate()
        fieldTypes.deallocate()
        fillSlots.deallocate()
        fillNodes.deallocate()
        fieldRequired.deallocate()
        text.deallocate()
        scratch.deallocate()
    }

    /// A storage for the same fields, for a copy of the reader about to read.
    func fresh() -> RecordReaderStorage {
        RecordReaderStorage(format: format, timeField: timeField, timeIsEpochMillis: timeIsEpochMillis, fields: fields,
                            slots: slotOf)
    }

    func value(ofField index: Int) -> NodeValue {
        precondition(index >= 0 && index < fieldCount, "field index out of range")
        return results[fieldNodes[index]]
    }

    func number(ofField index: Int) -> Double {
        precondition(index >= 0 && index < fieldCount, "field index out of range")
        return numbers[fieldNodes[index]]
    }

    func stringBytes(ofField index: Int) -> UnsafeRawBufferPointer {
        bytes(of: value(ofField: index))
    }

    @inline(__always)
    func fill(_ slots: UnsafeMutablePointer<ExprValue>) {
        for i in 0..<fillCount {
            let node = fillNodes[i]
            let v = results[node]
            let slot = fillSlots[i]
            switch v.kind {
            case .string: slots[slot] = .string(bytes(of: v))
            case .number: slots[slot] = .number(numbers[node])
            // The scanner records a literal's extent: 4 bytes is `true`, 5 is `false`.
            case .bool: slots[slot] = .boolean(v.count == 4)
            default: slots[slot] = .null
            }
        }
    }

    private func bytes(of v: NodeValue) -> UnsafeRawBufferPointer {
        guard v.kind == .string else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let base = UnsafeRawPointer(v.inScratch ? scratch : text)
        return UnsafeRawBufferPointer(start: base + v.start, count: v.count)
    }

    func read(_ value: UnsafeRawBufferPointer) -> BadRecord? {
        guard let base = value.baseAddress, value.count > 0 else {
            return BadRecord(reason: "invalid JSON at byte 0: unexpected end of input")
        }
        if value.count > capacity {
            text.deallocate()
            scratch.deallocate()
            capacity = max(value.count, capacity * 2)
            text = .allocate(capacity: capacity + JSONScanner.padding)
            scratch = .allocate(capacity: capacity)
        }
        UnsafeMutableRawPointer(text).copyMemory(from: base, byteCount: value.count)
        (text + value.count).initialize(repeating: 0, count: JSONScanner.padding)
        // Only the kinds: a result's other fields are read only once its kind says this record set it.
        for n in 0..<nodeCount { results[n].kind = .absent }
        sawEscapedString.pointee = false
        let scanner = JSONScanner(p: UnsafePointer(text), end: value.count, nodes: nodes, children: children,
                                  buckets: buckets, names: names, results: results, numbers: numbers,
                                  sawEscapedString: sawEscapedString, keyBuffer: scratch)
        do {
            try scanner.scanDocument()
        } catch {
            return BadRecord(reason: error.reason)
        }
        guard results[0].kind == .object else { return BadRecord(reason: "not a JSON object") }
        if sawEscapedString.pointee { unescapeStrings() }
        var time: Int64 = 0
        if let bad = checkAttributes(time: &time) ?? checkFields() { return bad }
        eventTimeMs = time
        return nil
    }

    /// Moves the strings that had escapes, unescaped, into `scratch` (their total never exceeds the input).
    private func unescapeStrings() {
        var used = 0
        for n in 0..<nodeCount where results[n].kind == .string && results[n].escaped {
            let v = results[n]
            let count = JSONScanner.unescape(UnsafePointer(text), from: v.start, to: v.start + v.count,
                                             into: scratch + used)
            results[n] = NodeValue(kind: .string, escaped: true, inScratch: true, start: used, count: count)
            used += count
        }
    }

    /// CloudEvents: string `specversion`, `id`, `source` and `type`. Every format: the time field, RFC 3339
    /// text in the accepted form (docs/bss-jobs.md, "Details") or epoch milliseconds.
    private func checkAttributes(time: inout Int64) -> BadRecord? {
        if format == .cloudevents {
            for k in 0..<Self.attributes.count {
                let kind = results[fieldNodes[fieldCount + k]].kind
                guard kind != .string else { continue }
                return kind.rawValue > JSONKind.null.rawValue
                    ? BadRecord(reason: "field \(Self.attributes[k]) is not a string")
                    : BadRecord(reason: "missing required field \(Self.attributes[k])")
            }
        }
        let timeNode = fieldNodes[fieldCount + Self.attributes.count]
        let timeValue = results[timeNode]
        if timeIsEpochMillis {
            guard timeValue.kind == .number else {
                return timeValue.kind.rawValue > JSONKind.null.rawValue
                    ? BadRecord(reason: "field \(timeField) is not a number")
                    : BadRecord(reason: "missing required field \(timeField)")
            }
            let ms = numbers[timeNode]
            guard ms.isFinite, ms.rounded(.towardZero) == ms, abs(ms) < 9.2e18 else {
                return BadRecord(reason: "invalid time: \(timeField) is not a whole number of milliseconds")
            }
            time = Int64(ms)
            return nil
        }
        guard timeValue.kind == .string else {
            return timeValue.kind.rawValue > JSONKind.null.rawValue
                ? BadRecord(reason: "field \(timeField) is not a string")
                : BadRecord(reason: "missing required field \(timeField)")
        }
        let text = bytes(of: timeValue)
        guard let ms = RFC3339.parseMillis(text, cache: &timeCache.pointee) else {
            let shown = String(decoding: UnsafeRawBufferPointer(rebasing: text.prefix(64)), as: UTF8.self)
            return BadRecord(reason: "invalid time: \(shown)")
        }
        time = ms
        return nil
    }

    /// The listed fields: required ones present, each of its type, numbers finite.
    private func checkFields() -> BadRecord? {
        for i in 0..<fieldCount {
            let v = results[fieldNodes[i]]
            switch v.kind {
            case .absent, .null:
                if fieldRequired[i] { return BadRecord(reason: "missing required field \(fields[i].path)") }
            case .string where fieldTypes[i] == .string, .bool where fieldTypes[i] == .boolean:
                break
            case .number where fieldTypes[i] == .number:
                guard numbers[fieldNodes[i]].isFinite else {
                    return BadRecord(reason: "field \(fields[i].path) is out of range")
                }
            default:
                return BadRecord(reason: "field \(fields[i].path) is not a \(fields[i].type.rawValue)")
            }
        }
        return nil
    }
}
