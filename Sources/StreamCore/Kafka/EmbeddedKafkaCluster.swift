import CRdKafka

/// librdkafka's mock cluster, hosted in this process: real Kafka protocol over TCP on loopback.
///
/// Not a full broker (docs/bss-jobs.md §8): about 5 MB of batches kept per partition, transactions accepted but
/// no markers written, offsets sent to a transaction not stored, no CreateTopics API.
public final class EmbeddedKafkaCluster: @unchecked Sendable {
    /// The mock needs an `rd_kafka_t` for its bookkeeping; a producer with no brokers is enough.
    private let host: OpaquePointer
    private let cluster: OpaquePointer
    public let bootstrapServers: String

    public init(brokers: Int = 3) throws {
        guard brokers > 0 else { throw KafkaError.invalidArgument("a cluster needs at least one broker") }
        host = try KafkaClientFactory.makeHandle(type: RD_KAFKA_PRODUCER, config: [:],
                                                 defaults: ["log_level": "3"])
        guard let cluster = rd_kafka_mock_cluster_new(host, Int32(brokers)) else {
            rd_kafka_destroy(host)
            throw KafkaError.invalidArgument("cannot start the embedded Kafka cluster")
        }
        self.cluster = cluster
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    /// The mock has no CreateTopics API; topics are made here. Idempotent: an existing topic is
    /// left as it is (its partition count is not changed).
    /// The mock caps the replication factor at the broker count.
    public func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32 = 1) throws {
        guard partitions > 0, replicationFactor > 0 else {
            throw KafkaError.invalidArgument("topic \(name) needs partitions > 0 and replicationFactor > 0")
        }
        let err = rd_kafka_mock_topic_create(cluster, name, partitions, replicationFactor)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS else {
            throw KafkaError(err, "cannot create topic \(name)")
        }
    }

    /// A fault drill: every broker closes its connections and refuses new ones until
    /// `setBrokersUp()`, as a cluster cut off from its clients would. Records stay stored; no
    /// leader changes.
    public func setBrokersDown() throws {
        let err = rd_kafka_mock_broker_set_down(cluster, -1)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, "cannot take the embedded brokers down") }
    }

    /// Ends `setBrokersDown()`: the brokers accept connections again.
    public func setBrokersUp() throws {
        let err = rd_kafka_mock_broker_set_up(cluster, -1)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, "cannot bring the embedded brokers up") }
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
        rd_kafka_destroy(host)
    }
}
