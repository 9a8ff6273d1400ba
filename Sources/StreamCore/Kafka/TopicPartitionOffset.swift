import CRdKafka
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A position in a partition, with the optional metadata string Kafka stores beside committed offsets.
public struct TopicPartitionOffset: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var metadata: String?

    public init(topic: String, partition: Int32, offset: Int64, metadata: String? = nil) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.metadata = metadata
    }
}

/// librdkafka's logical offsets.
public enum KafkaOffset {
    /// The oldest record still in the partition.
    public static let beginning: Int64 = Int64(RD_KAFKA_OFFSET_BEGINNING)
    /// The next record to be written (only new records are read).
    public static let end: Int64 = Int64(RD_KAFKA_OFFSET_END)
    /// No offset: e.g. nothing committed yet for a partition.
    public static let invalid: Int64 = Int64(RD_KAFKA_OFFSET_INVALID)
}

/// Conversions to and from `rd_kafka_topic_partition_list_t`, kept inside the Kafka layer.
enum TopicPartitionList {
    /// Builds a C list (caller destroys it); metadata strings are copied into librdkafka-owned memory.
    static func make(_ entries: [TopicPartitionOffset]) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        let list = rd_kafka_topic_partition_list_new(Int32(entries.count))!
        for entry in entries {
            let element = rd_kafka_topic_partition_list_add(list, entry.topic, entry.partition)!
            element.pointee.offset = entry.offset
            if let metadata = entry.metadata {
                // rd_kafka_topic_partition_list_destroy frees metadata with free().
                let bytes = Array(metadata.utf8)
                let copy = malloc(max(bytes.count, 1))!
                bytes.withUnsafeBytes { copy.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
                element.pointee.metadata = copy
                element.pointee.metadata_size = bytes.count
            }
        }
        return list
    }

    /// Reads a C list back; the first per-partition error is thrown.
    static func read(_ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>, _ context: String) throws -> [TopicPartitionOffset] {
        var result: [TopicPartitionOffset] = []
        result.reserveCapacity(Int(list.pointee.cnt))
        for i in 0..<Int(list.pointee.cnt) {
            let element = list.pointee.elems[i]
            let topic = String(cString: element.topic)
            if element.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw KafkaError(element.err, "\(context) for \(topic)[\(element.partition)]")
            }
            var metadata: String?
            if let bytes = element.metadata, element.metadata_size > 0 {
                metadata = String(decoding: UnsafeRawBufferPointer(start: bytes, count: element.metadata_size), as: UTF8.self)
            }
            result.append(TopicPartitionOffset(topic: topic, partition: element.partition,
                                               offset: element.offset, metadata: metadata))
        }
        return result
    }
}
