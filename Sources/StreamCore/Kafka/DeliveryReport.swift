import CRdKafka
import Synchronization

/// Outcome of one produced record, delivered on poll()/flush().
public struct DeliveryReport: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var error: KafkaError?
}

/// What a producer remembers from its delivery reports. Reached from librdkafka's callbacks
/// through the conf opaque, so it is a class that outlives the `rd_kafka_t`.
final class DeliveryTracker: @unchecked Sendable {
    /// Partitions are keyed by librdkafka's topic handle so a report costs no String work.
    private struct PartitionKey: Hashable {
        var topic: UInt
        var partition: Int32
    }

    private struct Book {
        var highestOffset: [PartitionKey: Int64] = [:]
        var topicNames: [UInt: String] = [:]
        var firstDeliveryError: KafkaError?
        var lastClientError: KafkaError?
    }

    let inFlight = Atomic<Int>(0)
    /// Records the brokers acknowledged, and client errors seen: counts a reader compares
    /// without a lock.
    let acknowledged = Atomic<Int>(0)
    let clientErrors = Atomic<Int>(0)
    private let book = Mutex(Book())
    private let onDelivery: (@Sendable (DeliveryReport) -> Void)?
    init(onDelivery: (@Sendable (DeliveryReport) -> Void)?) {
        self.onDelivery = onDelivery
    }

    /// Called by librdkafka (inside rd_kafka_poll/flush) once per produced record.
    func delivered(_ message: UnsafePointer<rd_kafka_message_t>) {
        inFlight.subtract(1, ordering: .relaxed)
        let m = message.pointee
        let topicKey = UInt(bitPattern: m.rkt)
        let failure: KafkaError? = m.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil
            : KafkaError(m.err, "delivery to \(String(cString: rd_kafka_topic_name(m.rkt)))[\(m.partition)] failed")
        book.withLock { book in
            if let failure {
                if book.firstDeliveryError == nil { book.firstDeliveryError = failure }
                return
            }
            acknowledged.add(1, ordering: .relaxed)
            let key = PartitionKey(topic: topicKey, partition: m.partition)
            if let known = book.highestOffset[key] {
                if m.offset > known { book.highestOffset[key] = m.offset }
            } else {
                book.highestOffset[key] = m.offset
                if book.topicNames[topicKey] == nil {
                    book.topicNames[topicKey] = String(cString: rd_kafka_topic_name(m.rkt))
                }
            }
        }
        if let onDelivery {
            onDelivery(DeliveryReport(topic: String(cString: rd_kafka_topic_name(m.rkt)), partition: m.partition,
                                      offset: m.offset, error: failure))
        }
    }

    /// Client-level errors (broker down, fatal idempotence/transaction state).
    func clientError(_ error: KafkaError) {
        book.withLock { book in
            book.lastClientError = error
            clientErrors.add(1, ordering: .relaxed)
            if error.isFatal && book.firstDeliveryError == nil { book.firstDeliveryError = error }
        }
    }

    var firstDeliveryError: KafkaError? { book.withLock { $0.firstDeliveryError } }
    var lastClientError: KafkaError? { book.withLock { $0.lastClientError } }

    func highestOffset(topic: String, partition: Int32) -> Int64? {
        book.withLock { book in
            guard let handle = book.topicNames.first(where: { $0.value == topic })?.key else { return nil }
            return book.highestOffset[PartitionKey(topic: handle, partition: partition)]
        }
    }
}
