/// The fields of a window result that a sink's `when` may name: the key (under its field's last
/// name), `windowStart` and `windowEnd` (epoch milliseconds), `revision`, and every aggregation
/// but countBy, each in a fixed slot filled when a result is routed.
public struct ResultFields: Sendable {
    public static let windowStartSlot = 1
    public static let windowEndSlot = 2
    public static let revisionSlot = 3
    static let firstAggregationSlot = 4

    public let names: [String]
    private let bindings: [String: NameBinding]
    public let slotCount: Int

    init(keyName: String, window: WindowStep) {
        var bindings: [String: NameBinding] = [
            keyName: NameBinding(slot: 0, type: .string),
            "windowStart": NameBinding(slot: Self.windowStartSlot, type: .number),
            "windowEnd": NameBinding(slot: Self.windowEndSlot, type: .number),
            "revision": NameBinding(slot: Self.revisionSlot, type: .number),
        ]
        for (i, aggregation) in window.aggregations.enumerated() where aggregation.kind != .countBy {
            bindings[aggregation.name] = NameBinding(slot: Self.firstAggregationSlot + i, type: .number)
        }
        self.bindings = bindings
        names = bindings.keys.sorted()
        slotCount = Self.firstAggregationSlot + window.aggregations.count
    }

    func binding(of path: FieldPath) -> NameBinding? {
        path.components.count == 1 ? bindings[path.components[0]] : nil
    }
}
