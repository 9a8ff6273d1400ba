import CRdKafka

/// Builds librdkafka handles from string properties; C config objects never leave this file.
enum KafkaClientFactory {
    /// Creates an `rd_kafka_t`. `defaults` apply unless `config` sets the same key.
    /// `prepare` may register callbacks/opaque on the conf before the handle takes ownership of it.
    static func makeHandle(type: rd_kafka_type_t, config: [String: String], defaults: [String: String],
                           prepare: (OpaquePointer) -> Void = { _ in }) throws -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError.invalidArgument("rd_kafka_conf_new failed")
        }
        var errstr = [CChar](repeating: 0, count: 512)
        for (key, value) in defaults.merging(config, uniquingKeysWith: { _, explicit in explicit }) {
            if rd_kafka_conf_set(conf, key, value, &errstr, errstr.count) != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw KafkaError.invalidArgument("invalid Kafka property \(key)=\(value): \(cString(errstr))")
            }
        }
        prepare(conf)
        // On success rd_kafka_new owns conf; on failure it is still ours.
        guard let rk = rd_kafka_new(type, conf, &errstr, errstr.count) else {
            rd_kafka_conf_destroy(conf)
            throw KafkaError.invalidArgument("cannot create Kafka client: \(cString(errstr))")
        }
        return rk
    }

    static func cString(_ buffer: [CChar]) -> String {
        buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
