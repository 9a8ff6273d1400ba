import CRdKafka
import Synchronization

/// A librdkafka consumer with explicit partition assignment (no group rebalancing).
/// `consumeBatch` must not be called from two threads at once; the other calls may.
public final class KafkaConsumer: @unchecked Sendable {
    private let rk: OpaquePointer
    private let queue: OpaquePointer
    public let bootstrapServers: String
    /// Reused array of message pointers for rd_kafka_consume_batch_queue.
    private var batch: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>
    private var batchCapacity: Int
    private let transientError = Mutex<KafkaError?>(nil)

    private let transientErrors = Atomic<Int>(0)

    /// Last transient client error seen in the stream (broker down, transport); librdkafka retries these.
    public var lastClientError: KafkaError? { transientError.withLock { $0 } }

    /// Transient client errors seen so far: a reader that remembers the count knows, without a
    /// lock, whether `lastClientError` is new.
    public var clientErrorCount: Int { transientErrors.load(ordering: .relaxed) }

    /// Sets enable.auto.commit=false and enable.auto.offset.store=false. librdkafka only allows
    /// assign() on a consumer with a group.id, so a private one is made up when none is given;
    /// give your own to use `committed`/`commit`.
    public init(config: [String: String]) throws {
        guard let servers = config["bootstrap.servers"], !servers.isEmpty else {
            throw KafkaError.invalidArgument("consumer config needs bootstrap.servers")
        }
        bootstrapServers = servers
        var config = config
        config["enable.auto.commit"] = "false"
        config["enable.auto.offset.store"] = "false"
        if config["group.id"] == nil {
            config["group.id"] = "streamcore-assign-\(UInt64.random(in: 0...UInt64.max))"
        }
        rk = try KafkaClientFactory.makeHandle(type: RD_KAFKA_CONSUMER, config: config, defaults: [:])
        // Route client errors (main queue) into the consumer queue so consumeBatch sees them.
        rd_kafka_poll_set_consumer(rk)
        queue = rd_kafka_queue_get_consumer(rk)
        batchCapacity = 1024
        batch = .allocate(capacity: batchCapacity)
    }

    deinit {
        batch.deallocate()
        rd_kafka_queue_destroy(queue)
        rd_kafka_consumer_close(rk)
        rd_kafka_destroy(rk)
    }

    /// offset: an exact offset, or KafkaOffset.beginning / .end. Replaces the previous assignment.
    /// Exact offsets start fetching at once; a logical one (beginning/end) first needs an offset lookup
    /// that librdkafka retries every 500 ms until it knows the leader, so the first records come ~0.5 s later.
    public func assign(_ partitions: [TopicPartitionOffset]) throws {
        let list = TopicPartitionList.make(partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err = rd_kafka_assign(rk, list)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, "assign failed") }
    }

    /// Fetches up to maxRecords already-buffered records (blocks at most timeoutMs), calls body per
    /// record in partition order; returns how many records body saw.
    ///
    /// Partition EOF is skipped. Transient client errors (transport, all brokers down) are kept in
    /// `lastClientError` and not thrown: librdkafka reconnects by itself. Any other error is thrown
    /// after the batch's good records were handed to body, so no fetched record is skipped.
    public func consumeBatch(maxRecords: Int, timeoutMs: Int32, _ body: (KafkaRecordView) throws -> Void) throws -> Int {
        try consumeBatch(maxRecords: maxRecords, timeoutMs: timeoutMs, lookingAhead: 0, { _ in }, body)
    }

    /// `consumeBatch`, also handing `ahead` the record `distance` places after each one before
    /// `body` gets it (nil past the batch's last record, or for an error), so what processing it
    /// will read can start loading.
    public func consumeBatch(maxRecords: Int, timeoutMs: Int32, lookingAhead distance: Int,
                             _ ahead: (KafkaRecordView?) -> Void, _ body: (KafkaRecordView) throws -> Void) throws -> Int {
        precondition(maxRecords > 0, "maxRecords must be positive")
        if maxRecords > batchCapacity {
            batch.deallocate()
            batch = .allocate(capacity: maxRecords)
            batchCapacity = maxRecords
        }
        let fetched = rd_kafka_consume_batch_queue(queue, timeoutMs, batch, maxRecords)
        if fetched < 0 { throw KafkaError(rd_kafka_last_error(), "consume failed") }
        var next = 0
        // Every fetched message is destroyed, also when body throws.
        defer { for i in next..<fetched { rd_kafka_message_destroy(batch[i]) } }
        var delivered = 0
        var failure: KafkaError?
        func record(_ i: Int) -> KafkaRecordView? {
            guard i < fetched, let message = batch[i], message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
            return KafkaRecordView(message)
        }
        if distance > 0 {
            for i in 0..<min(distance, fetched) { ahead(record(i)) }
        }
        while next < fetched {
            if distance > 0 { ahead(record(next + distance)) }
            let message = batch[next]!
            next += 1
            defer { rd_kafka_message_destroy(message) }
            let err = message.pointee.err
            if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                try body(KafkaRecordView(message))
                delivered += 1
            } else if err != RD_KAFKA_RESP_ERR__PARTITION_EOF {
                let error = Self.describe(message)
                if Self.isTransient(err) {
                    transientError.withLock { $0 = error }
                    transientErrors.add(1, ordering: .relaxed)
                } else if failure == nil {
                    failure = error
                }
            }
        }
        if let failure { throw failure }
        return delivered
    }

    /// Low and high watermark (high = offset of the next record to be written), asked of the broker.
    /// While this consumer is fetching, the answer queues behind a held fetch on the same connection:
    /// it can take up to fetch.wait.max.ms (500 ms by default). Ask from an idle consumer when that matters.
    public func watermarkOffsets(topic: String, partition: Int32, timeoutMs: Int32) throws -> (low: Int64, high: Int64) {
        var low: Int64 = 0
        var high: Int64 = 0
        let err = rd_kafka_query_watermark_offsets(rk, topic, partition, &low, &high, timeoutMs)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(err, "watermarks of \(topic)[\(partition)] at \(bootstrapServers)")
        }
        return (low, high)
    }

    /// Watermarks last reported by fetch responses for an assigned partition: no broker round trip
    /// (for lag reporting). nil until a fetch for the partition returned.
    public func cachedWatermarkOffsets(topic: String, partition: Int32) -> (low: Int64, high: Int64)? {
        var low: Int64 = 0
        var high: Int64 = 0
        let err = rd_kafka_get_watermark_offsets(rk, topic, partition, &low, &high)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, high >= 0 else { return nil }
        return (low, high)
    }

    /// Throws KafkaError with a clear message if the topic is missing or no broker is reachable.
    public func partitionCount(topic: String, timeoutMs: Int32) throws -> Int32 {
        try KafkaMetadata.partitionCount(rk: rk, topic: topic, bootstrapServers: bootstrapServers, timeoutMs: timeoutMs)
    }

    /// Committed offsets (with metadata) of the consumer group given at init;
    /// KafkaOffset.invalid where nothing is committed.
    public func committed(_ partitions: [(topic: String, partition: Int32)], timeoutMs: Int32) throws -> [TopicPartitionOffset] {
        let list = TopicPartitionList.make(partitions.map {
            TopicPartitionOffset(topic: $0.topic, partition: $0.partition, offset: KafkaOffset.invalid)
        })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err = rd_kafka_committed(rk, list, timeoutMs)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, "reading committed offsets") }
        return try TopicPartitionList.read(list, "committed offset")
    }

    /// Commits offsets (the next offset to read, with optional metadata) for the group given at init; waits for the broker.
    public func commit(_ offsets: [TopicPartitionOffset]) throws {
        let list = TopicPartitionList.make(offsets)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err = rd_kafka_commit(rk, list, 0)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, "commit failed") }
        _ = try TopicPartitionList.read(list, "commit")
    }

    private static func isTransient(_ err: rd_kafka_resp_err_t) -> Bool {
        switch err {
        case RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__RESOLVE,
             RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
            return true
        default:
            return false
        }
    }

    private static func describe(_ message: UnsafeMutablePointer<rd_kafka_message_t>) -> KafkaError {
        let m = message.pointee
        var where_ = ""
        if let rkt = m.rkt { where_ = " on \(String(cString: rd_kafka_topic_name(rkt)))[\(m.partition)]" }
        let detail = rd_kafka_message_errstr(message).map { String(cString: $0) } ?? ""
        var error = KafkaError(code: m.err.rawValue, message: "consume error\(where_): \(detail)")
        error.isFatal = m.err == RD_KAFKA_RESP_ERR__FATAL
        return error
    }
}
