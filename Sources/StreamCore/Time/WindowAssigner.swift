/// Maps an event time to the epoch-aligned half-open windows `[start, end)` that contain it.
public struct WindowAssigner: Sendable, Equatable {
    public let sizeMs: Int64
    public let slideMs: Int64
    public let allowedLatenessMs: Int64

    public init(_ spec: WindowSpec) {
        precondition(spec.sizeMs > 0 && spec.slideMs > 0 && spec.sizeMs % spec.slideMs == 0,
                     "window size must be a positive multiple of the slide")
        sizeMs = spec.sizeMs
        slideMs = spec.slideMs
        allowedLatenessMs = spec.allowedLatenessMs
    }

    /// Windows per record: 1 for tumbling, size/slide for sliding.
    public var windowsPerRecord: Int { Int(sizeMs / slideMs) }

    /// Start of the latest window containing `t` (floor to the slide, also for negative times).
    @inline(__always)
    public func lastStart(containing t: Int64) -> Int64 {
        let r = t % slideMs
        return t - (r < 0 ? r + slideMs : r)
    }

    /// Start of the earliest window containing `t`.
    @inline(__always)
    public func firstStart(containing t: Int64) -> Int64 {
        lastStart(containing: t) - sizeMs + slideMs
    }

    /// A window fires once the watermark reaches its last millisecond.
    @inline(__always)
    public func firesAt(end: Int64) -> Int64 { end - 1 }

    /// A window is late (takes no record, its state is dropped) once the watermark passes its lateness bound.
    @inline(__always)
    public func isLate(end: Int64, watermark: Int64) -> Bool {
        watermark >= end - 1 + allowedLatenessMs
    }
}
