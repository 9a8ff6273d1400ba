/// The end of a stage-1 task (`StageRole.repartitionWriter`): each record that passes the steps
/// goes to the repartition topic unchanged, with the new key as its Kafka key; after it, when
/// the watermark is due downstream (`WatermarkControl`), one control record for every partition.
///
/// Confined to its task's thread.
final class RepartitionOutput {
    private(set) var watermark: PartitionWatermark
    private let upstream: Int32
    /// The watermark moved by the last record into a new interval: its control record follows it.
    private var due = false

    init(outOfOrdernessMs: Int64, partition: Int32) {
        watermark = PartitionWatermark(outOfOrdernessMs: outOfOrdernessMs)
        upstream = partition
    }

    @inline(__always)
    func observe(eventTime t: Int64) {
        let before = watermark.current
        if watermark.observe(eventTime: t) { due = WatermarkControl.isDue(from: before, to: watermark.current) }
    }

    @inline(__always)
    func write(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, into batch: inout OutputBatch) {
        batch.append(.result, key: key, value: value)
    }

    /// Writes the control record the last record made due, if any.
    @inline(__always)
    func emitDue(into batch: inout OutputBatch) {
        guard due else { return }
        due = false
        emit(into: &batch)
    }

    /// Moves the watermark (end of input, a stop with drain) and writes it downstream when due.
    func advance(to value: Int64, into batch: inout OutputBatch) {
        let before = watermark.current
        guard watermark.advance(to: value), WatermarkControl.isDue(from: before, to: watermark.current) else { return }
        emit(into: &batch)
    }

    /// A restored task's watermark: what its control records already said.
    func restore(watermark value: Int64) {
        _ = watermark.advance(to: value)
    }

    @inline(never)
    private func emit(into batch: inout OutputBatch) {
        WatermarkControl.key(upstream: upstream, watermark: watermark.current).withUnsafeBytes { key in
            batch.append(.watermarkControl, key: key, value: UnsafeRawBufferPointer(start: nil, count: 0))
        }
    }
}
