import CRdKafka
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A consumed record, valid only inside the `consumeBatch` callback (zero copy).
public struct KafkaRecordView {
    private let message: UnsafeMutablePointer<rd_kafka_message_t>
    public let partition: Int32
    public let offset: Int64
    public let key: UnsafeRawBufferPointer
    public let value: UnsafeRawBufferPointer

    init(_ message: UnsafeMutablePointer<rd_kafka_message_t>) {
        self.message = message
        let m = message.pointee
        partition = m.partition
        offset = m.offset
        key = UnsafeRawBufferPointer(start: m.key, count: m.key_len)
        value = UnsafeRawBufferPointer(start: m.payload, count: m.len)
    }

    /// The topic name (allocates a String; prefer `topicBytes` on the hot path).
    public var topic: String? {
        message.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) }
    }

    /// The topic name's UTF-8 bytes, without copying.
    public var topicBytes: UnsafeRawBufferPointer {
        guard let rkt = message.pointee.rkt, let name = rd_kafka_topic_name(rkt) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: name, count: strlen(name))
    }

    /// Producer's timestamp (or log-append time), milliseconds since the epoch; nil if unavailable.
    public var timestampMs: Int64? {
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let ts = rd_kafka_message_timestamp(message, &type)
        return type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : ts
    }

    /// Value of the last header with that name, or nil if absent (an empty buffer for a null value).
    /// librdkafka parses a record's headers on the first call.
    public func header(_ name: String) -> UnsafeRawBufferPointer? {
        var headers: OpaquePointer?
        guard rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR, let headers else { return nil }
        var value: UnsafeRawPointer?
        var size = 0
        guard rd_kafka_header_get_last(headers, name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        return UnsafeRawBufferPointer(start: value, count: size)
    }
}
