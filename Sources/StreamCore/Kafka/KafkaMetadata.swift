import CRdKafka

/// Metadata queries shared by producer and consumer (off the hot path).
enum KafkaMetadata {
    /// Partition count of `topic`, asked of the cluster (never the local cache).
    /// Asks for all topics: a request naming the topic would auto-create it on the embedded cluster
    /// (its Metadata API stops at v2, which has no AllowAutoTopicCreation flag, so it always creates).
    static func partitionCount(rk: OpaquePointer, topic: String, bootstrapServers: String,
                               timeoutMs: Int32) throws -> Int32 {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let err = rd_kafka_metadata(rk, 1, nil, &metadata, timeoutMs)
        switch err {
        case RD_KAFKA_RESP_ERR_NO_ERROR:
            break
        case RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__TIMED_OUT:
            // librdkafka waits up to the timeout for any usable broker and reports
            // _TRANSPORT when none came up: say so plainly.
            var error = KafkaError(code: err.rawValue, message:
                "no Kafka broker reachable at \(bootstrapServers) within \(seconds(timeoutMs)) (asking for topic \(topic))")
            error.isBrokerUnreachable = true
            throw error
        default:
            throw KafkaError(err, "metadata request for topic \(topic) failed")
        }
        guard let md = metadata else { throw KafkaError(err, "no metadata for topic \(topic)") }
        defer { rd_kafka_metadata_destroy(md) }
        let topics = UnsafeBufferPointer(start: md.pointee.topics, count: Int(md.pointee.topic_cnt))
        guard let entry = topics.first(where: { String(cString: $0.topic) == topic }) else {
            throw KafkaError(code: RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART.rawValue,
                             message: "topic \(topic) does not exist at \(bootstrapServers)")
        }
        if entry.err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART {
            throw KafkaError(code: entry.err.rawValue, message: "topic \(topic) does not exist at \(bootstrapServers)")
        }
        // LEADER_NOT_AVAILABLE right after creation still carries the partition list.
        if entry.err != RD_KAFKA_RESP_ERR_NO_ERROR && entry.partition_cnt == 0 {
            throw KafkaError(entry.err, "metadata for topic \(topic)")
        }
        return entry.partition_cnt
    }

    static func seconds(_ ms: Int32) -> String {
        ms % 1000 == 0 ? "\(ms / 1000) s" : "\(ms) ms"
    }
}
