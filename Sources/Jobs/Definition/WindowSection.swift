import StreamCore

/// `window`: how a window step groups records in event time (docs/jobs.md, "Windows").
enum WindowSection {
    static let keys = ["kind", "size", "slide", "gap", "allowedLateness"]

    static func parse(_ value: YAMLValue) throws -> WindowSpec {
        let window = try value.mapping(allowedKeys: keys)
        let kind = WindowSpec.Kind(rawValue: try window.required("kind").oneOf(["tumbling", "sliding", "session"]))!
        let lateness = try window.optional("allowedLateness")?.durationMs(allowZero: true) ?? 0
        if kind != .session, let gap = window.optional("gap") {
            throw gap.error("only a session window has a gap; a \(kind.rawValue) window has a size")
        }
        switch kind {
        case .session:
            for key in ["size", "slide"] {
                if let node = window.optional(key) {
                    throw node.error("a session window has no \(key): it lasts while records come within its gap")
                }
            }
            guard let gapNode = window.optional("gap") else {
                throw value.error("missing required key \"gap\" (a session window closes after a gap without records)")
            }
            return .session(gapMs: try gapNode.durationMs(allowZero: false), allowedLatenessMs: lateness)
        case .tumbling:
            let size = try window.required("size").durationMs(allowZero: false)
            if let slide = window.optional("slide") {
                throw slide.error("a tumbling window has no slide (it slides by its size); use kind: sliding for overlapping windows")
            }
            return .tumbling(sizeMs: size, allowedLatenessMs: lateness)
        case .sliding:
            let sizeNode = try window.required("size")
            let size = try sizeNode.durationMs(allowZero: false)
            guard let slideNode = window.optional("slide") else {
                throw value.error("missing required key \"slide\" (a sliding window needs one)")
            }
            let slide = try slideNode.durationMs(allowZero: false)
            // Each record belongs to exactly size/slide windows only when slide divides size.
            guard size % slide == 0 else {
                throw sizeNode.error("must be a positive multiple of slide (\(slideNode.scalarText ?? "")), got \(sizeNode.shown)")
            }
            return .sliding(sizeMs: size, slideMs: slide, allowedLatenessMs: lateness)
        }
    }
}
