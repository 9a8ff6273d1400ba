import StreamCore

/// `watermark`: how far event time may run out of order, and when a quiet partition moves on.
enum WatermarkSection {
    static func parse(_ value: YAMLValue) throws -> WatermarkSpec {
        let watermark = try value.mapping(allowedKeys: ["outOfOrderness", "idleTimeout"])
        let outOfOrderness = try watermark.required("outOfOrderness").durationMs(allowZero: true)
        let idleTimeout = try watermark.optional("idleTimeout")?.durationOrOffMs()
        return WatermarkSpec(outOfOrdernessMs: outOfOrderness, idleTimeoutMs: idleTimeout)
    }
}
