/// A task's output: takes the records the pipeline emitted (Kafka topics, part files). Called once
/// per batch through this protocol; the batch is emptied by the caller afterwards.
public protocol RecordSink: AnyObject {
    func send(_ batch: OutputBatch) throws
}
