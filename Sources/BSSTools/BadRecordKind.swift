/// The kinds of bad record the generator mixes in (docs/bss-jobs.md §1, §7), each a mutation of a
/// good event so the rest of the record stays realistic.
enum BadRecordKind: CaseIterable {
    case invalidJSON, missingField, wrongType, badTime, nonUTF8, booleanAmount

    /// Bytes of the bad record made from `draft`. `required` are the required `data` members.
    func apply(to draft: EventDraft, required: [String], random: inout SplitMix64) -> [UInt8] {
        var draft = draft
        switch self {
        case .invalidJSON:
            let bytes = draft.bytes
            // Any proper prefix of an object is incomplete JSON.
            return Array(bytes.prefix(1 + random.below(bytes.count - 1)))
        case .missingField:
            let envelope = ["specversion", "id", "source", "type", "time"]
            let choice = random.below(envelope.count + required.count)
            if choice < envelope.count {
                draft.remove(envelope[choice], inData: false)
            } else {
                draft.remove(required[choice - envelope.count], inData: true)
            }
        case .wrongType:
            switch random.below(4) {
            case 0: draft.set("amount", EventDraft.string("12.50"), inData: true)
            case 1: draft.set("customerId", Array("123".utf8), inData: true)
            case 2: draft.set(required[required.count > 2 ? 2 : 1], Array("[]".utf8), inData: true)
            default: draft.set("data", EventDraft.string("n/a"), inData: false)
            }
        case .badTime:
            let valid = RefEventTime.format(1_762_250_400_000 + Int64(random.below(86_400_000)))
            let forms = [
                valid.replacingFirst("T", with: " "),
                String(valid.prefix(17)) + "60.000Z",
                String(valid.dropLast()),
                "yesterday",
            ]
            let choice = random.below(forms.count + 1)
            draft.set("time", choice < forms.count ? EventDraft.string(forms[choice]) : Array("1762250400000".utf8),
                      inData: false)
        case .nonUTF8:
            let name = required[required.count > 2 ? 2 : 1]
            draft.set(name, [UInt8(ascii: "\""), UInt8(ascii: "X"), 0xC3, 0x28, UInt8(ascii: "\"")], inData: true)
        case .booleanAmount:
            draft.set("amount", Array((random.chance(0.5) ? "true" : "false").utf8), inData: true)
        }
        return draft.bytes
    }
}

private extension String {
    func replacingFirst(_ target: Character, with replacement: Character) -> String {
        guard let index = firstIndex(of: target) else { return self }
        var copy = self
        copy.replaceSubrange(index...index, with: String(replacement))
        return copy
    }
}
