import CRdKafka
import Synchronization

/// A librdkafka producer. Thread-safe; records are copied at `produce`, so caller buffers can be reused at once.
public final class KafkaProducer: @unchecked Sendable {
    let rk: OpaquePointer
    private let tracker: DeliveryTracker
    private let topics = Mutex<[(name: String, handle: OpaquePointer)]>([])
    public let bootstrapServers: String

    /// Defaults applied unless `config` sets the key. Auto-creation is off so that producing to a
    /// misspelt topic on a real cluster fails instead of creating it (the embedded cluster ignores
    /// this flag and creates any topic a client asks about, with 4 partitions).
    public static let defaultConfig: [String: String] = [
        "enable.idempotence": "true",
        "compression.type": "lz4",
        "linger.ms": "5",
        "acks": "all",
        "allow.auto.create.topics": "false",
    ]

    /// config: librdkafka properties; must contain "bootstrap.servers".
    /// `onDelivery`, if given, is called for every record inside `poll`/`flush` (it costs a String per record).
    public init(config: [String: String], onDelivery: (@Sendable (DeliveryReport) -> Void)? = nil) throws {
        guard let servers = config["bootstrap.servers"], !servers.isEmpty else {
            throw KafkaError.invalidArgument("producer config needs bootstrap.servers")
        }
        bootstrapServers = servers
        let tracker = DeliveryTracker(onDelivery: onDelivery)
        self.tracker = tracker
        rk = try KafkaClientFactory.makeHandle(type: RD_KAFKA_PRODUCER, config: config,
                                               defaults: Self.defaultConfig) { conf in
            // The tracker is owned by self, which destroys rk before releasing it.
            rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(tracker).toOpaque())
            rd_kafka_conf_set_dr_msg_cb(conf) { _, message, opaque in
                guard let message, let opaque else { return }
                Unmanaged<DeliveryTracker>.fromOpaque(opaque).takeUnretainedValue().delivered(message)
            }
            rd_kafka_conf_set_error_cb(conf) { rk, code, reason, opaque in
                guard let rk, let opaque else { return }
                let tracker = Unmanaged<DeliveryTracker>.fromOpaque(opaque).takeUnretainedValue()
                var error = KafkaError(code: code, message: reason.map { String(cString: $0) } ?? "Kafka client error")
                if rd_kafka_resp_err_t(code) == RD_KAFKA_RESP_ERR__FATAL {
                    var reason = [CChar](repeating: 0, count: 512)
                    let cause = rd_kafka_fatal_error(rk, &reason, reason.count)
                    error = KafkaError(code: cause.rawValue, message: "fatal producer error: \(KafkaClientFactory.cString(reason))")
                    error.isFatal = true
                }
                tracker.clientError(error)
            }
        }
    }

    deinit {
        for topic in topics.withLock({ $0 }) { rd_kafka_topic_destroy(topic.handle) }
        rd_kafka_destroy(rk)
    }

    /// Drops every record not yet acknowledged, queued or in flight, so none is delivered later:
    /// for a task whose work moved elsewhere (a request already on the wire may still land).
    public func purge() {
        _ = rd_kafka_purge(rk, Int32(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT))
        rd_kafka_poll(rk, 0)
    }

    /// Copies key/value/headers (RD_KAFKA_MSG_F_COPY) to an explicit partition.
    /// If the local queue is full, serves delivery reports and retries instead of failing.
    public func produce(topic: String, partition: Int32, key: UnsafeRawBufferPointer,
                        value: UnsafeRawBufferPointer, headers: [KafkaHeader]) throws {
        try enqueue(topic: topic, partition: partition, key: key, value: value,
                    headers: KafkaHeader.makeCHeaders(headers))
    }

    /// As above, with headers taken from a reused `KafkaHeaderBuffer`.
    public func produce(topic: String, partition: Int32, key: UnsafeRawBufferPointer,
                        value: UnsafeRawBufferPointer, headers: borrowing KafkaHeaderBuffer) throws {
        try enqueue(topic: topic, partition: partition, key: key, value: value, headers: headers.makeCHeaders())
    }

    /// Serves delivery reports; returns number of events served. Failed deliveries are remembered.
    @discardableResult
    public func poll(timeoutMs: Int32) -> Int {
        Int(rd_kafka_poll(rk, timeoutMs))
    }

    /// Nanoseconds `produce` waited for room in a full local queue (since creation).
    public var queueFullWaitNs: UInt64 { queueFullWait.load(ordering: .relaxed) }
    private let queueFullWait = Atomic<UInt64>(0)

    /// Records produced whose delivery report has not been served yet.
    public var inFlight: Int { tracker.inFlight.load(ordering: .relaxed) }

    /// Waits until all produced records are acknowledged; throws the first delivery error seen (or timeout).
    public func flush(timeoutMs: Int32) throws {
        let err = rd_kafka_flush(rk, timeoutMs)
        if let failure = tracker.firstDeliveryError { throw failure }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(code: err.rawValue, message:
                "flush did not finish within \(KafkaMetadata.seconds(timeoutMs)): \(inFlight) records unacknowledged")
        }
    }

    /// Highest acknowledged offset per (topic, partition) since creation.
    public func highestAckedOffset(topic: String, partition: Int32) -> Int64? {
        tracker.highestOffset(topic: topic, partition: partition)
    }

    /// First delivery error seen since creation, if any (sticky). Includes fatal client errors.
    public var deliveryError: KafkaError? { tracker.firstDeliveryError }

    /// Last client-level error reported by librdkafka (e.g. all brokers down); informational,
    /// librdkafka keeps retrying.
    public var lastClientError: KafkaError? { tracker.lastClientError }

    /// Client errors seen so far (`lastClientError` is new when this changed).
    public var clientErrorCount: Int { tracker.clientErrors.load(ordering: .relaxed) }

    /// Records the brokers acknowledged so far.
    public var acknowledgedCount: Int { tracker.acknowledged.load(ordering: .relaxed) }

    /// Throws KafkaError with a clear message if the topic is missing or no broker is reachable.
    public func partitionCount(topic: String, timeoutMs: Int32) throws -> Int32 {
        try KafkaMetadata.partitionCount(rk: rk, topic: topic, bootstrapServers: bootstrapServers, timeoutMs: timeoutMs)
    }

    /// Takes ownership of `headers` (destroyed here if librdkafka does not take them).
    private func enqueue(topic: String, partition: Int32, key: UnsafeRawBufferPointer,
                         value: UnsafeRawBufferPointer, headers: OpaquePointer?) throws {
        let rkt: OpaquePointer
        do { rkt = try topicHandle(topic) } catch {
            if let headers { rd_kafka_headers_destroy(headers) }
            throw error
        }
        tracker.inFlight.add(1, ordering: .relaxed)
        try withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 6) { vus in
            var count = 0
            func push(_ type: rd_kafka_vtype_t, _ fill: (inout rd_kafka_vu_t) -> Void) {
                var vu = rd_kafka_vu_t()
                vu.vtype = type
                fill(&vu)
                vus[count] = vu
                count += 1
            }
            push(RD_KAFKA_VTYPE_RKT) { $0.u.rkt = rkt }
            push(RD_KAFKA_VTYPE_PARTITION) { $0.u.i32 = partition }
            push(RD_KAFKA_VTYPE_MSGFLAGS) { $0.u.i = RD_KAFKA_MSG_F_COPY }
            push(RD_KAFKA_VTYPE_KEY) { $0.u.mem = .init(ptr: UnsafeMutableRawPointer(mutating: key.baseAddress), size: key.count) }
            push(RD_KAFKA_VTYPE_VALUE) { $0.u.mem = .init(ptr: UnsafeMutableRawPointer(mutating: value.baseAddress), size: value.count) }
            // VTYPE_HEADERS (a list we own until success), not VTYPE_HEADER: in librdkafka 2.0.2
            // produceva double-frees its internally built list when the partition is rejected.
            if let headers { push(RD_KAFKA_VTYPE_HEADERS) { $0.u.headers = headers } }
            while true {
                guard let error = rd_kafka_produceva(rk, vus.baseAddress, count) else { return }
                if rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                    rd_kafka_error_destroy(error)
                    let waited = Lease.now()
                    rd_kafka_poll(rk, 10)
                    queueFullWait.add(Lease.now() - waited, ordering: .relaxed)
                    continue
                }
                if let headers { rd_kafka_headers_destroy(headers) }
                tracker.inFlight.subtract(1, ordering: .relaxed)
                throw KafkaError(consuming: error, "cannot produce to \(topic)[\(partition)]")
            }
        }
    }

    /// librdkafka's handle for `topic`, created once and kept for the producer's life.
    private func topicHandle(_ topic: String) throws -> OpaquePointer {
        try topics.withLock { topics in
            for entry in topics where entry.name == topic { return entry.handle }
            guard let handle = rd_kafka_topic_new(rk, topic, nil) else {
                throw KafkaError(rd_kafka_last_error(), "cannot reference topic \(topic)")
            }
            topics.append((topic, handle))
            return handle
        }
    }
}
