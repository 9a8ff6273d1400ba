import StreamCore

/// `window`: how records are grouped in event time (docs/bss-jobs.md §2).
enum WindowSection {
    static func parse(_ value: YAMLValue) throws -> WindowSpec {
        let window = try value.mapping(allowedKeys: ["kind", "size", "slide", "allowedLateness"])
        let kind = WindowSpec.Kind(rawValue: try window.required("kind").oneOf(["tumbling", "sliding"]))!
        let sizeNode = try window.required("size")
        let size = try sizeNode.durationMs(allowZero: false)
        let lateness = try window.optional("allowedLateness")?.durationMs(allowZero: true) ?? 0
        switch kind {
        case .tumbling:
            if let slide = window.optional("slide") {
                throw slide.error("a tumbling window has no slide (it slides by its size); use kind: sliding for overlapping windows")
            }
            return .tumbling(sizeMs: size, allowedLatenessMs: lateness)
        case .sliding:
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
