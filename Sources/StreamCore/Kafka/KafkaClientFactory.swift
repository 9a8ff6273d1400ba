import CRdKafka

/// Builds librdkafka handles from string properties; C config objects never leave this file.
enum KafkaClientFactory {
    /// Settings of every handle unless `defaults` or `config` set the key.
    ///
    /// Nagle off (TCP_NODELAY), as Kafka's Java clients and brokers always have it: librdkafka leaves
    /// it on, and the embedded cluster's sockets take the setting of the handle hosting it. With Nagle
    /// on there, a small response waited until the client acknowledged the one before, which a client
    /// with nothing to send does only after its delayed-ACK timer: every other produce request of a
    /// task took ~10 ms instead of ~0.1 ms.
    static let baseConfig: [String: String] = ["socket.nagle.disable": "true"]

    /// Creates an `rd_kafka_t`. `defaults` apply unless `config` sets the same key.
    /// `prepare` may register callbacks/opaque on the conf before the handle takes ownership of it.
    static func makeHandle(type: rd_kafka_type_t, config: [String: String], defaults: [String: String],
                           prepare: (OpaquePointer) -> Void = { _ in }) throws -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError.invalidArgument("rd_kafka_conf_new failed")
        }
        var errstr = [CChar](repeating: 0, count: 512)
        let security = KafkaSecuritySettings.process.withLock { $0 }
        let settings = baseConfig.merging(defaults) { _, own in own }.merging(security.applied(to: config)) { _, explicit in explicit }
        for (key, value) in settings {
            if rd_kafka_conf_set(conf, key, value, &errstr, errstr.count) != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                let shown = KafkaSecuritySettings.secretKeys.contains(key) ? "<redacted>" : value
                throw KafkaError.invalidArgument(security.redacting("invalid Kafka property \(key)=\(shown): \(cString(errstr))"))
            }
        }
        prepare(conf)
        // On success rd_kafka_new owns conf; on failure it is still ours.
        guard let rk = rd_kafka_new(type, conf, &errstr, errstr.count) else {
            rd_kafka_conf_destroy(conf)
            // librdkafka names the setting whose file it could not load, not the file.
            var message = "cannot create Kafka client: \(cString(errstr))"
            for key in ["ssl.ca.location", "ssl.certificate.location", "ssl.key.location"] where message.contains(key) {
                if let path = settings[key] { message += " (\(key) is \(path))" }
            }
            throw KafkaError.invalidArgument(security.redacting(message))
        }
        return rk
    }

    static func cString(_ buffer: [CChar]) -> String {
        buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
