import CRdKafka

/// An error from librdkafka or from the Kafka layer around it.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// librdkafka's `rd_kafka_resp_err_t` (negative: client-side, positive: broker error codes).
    public var code: Int32
    public var message: String
    /// The operation may succeed if retried (transactions: retry the same call).
    public var isRetriable: Bool = false
    /// The client instance is unusable; create a new one.
    public var isFatal: Bool = false
    /// A transactional call failed in a way that needs `abortTransaction` before going on.
    public var transactionRequiresAbort: Bool = false

    /// No broker answered within the call's timeout (set by partitionCount).
    public var isBrokerUnreachable: Bool = false

    /// The client could not reach a broker (refused, closed or unresolvable connection, all
    /// brokers down); librdkafka keeps reconnecting by itself.
    public var isConnectionProblem: Bool {
        code == RD_KAFKA_RESP_ERR__TRANSPORT.rawValue || code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN.rawValue
            || code == RD_KAFKA_RESP_ERR__RESOLVE.rawValue
    }

    /// The topic (or partition) does not exist on the cluster.
    public var isUnknownTopic: Bool {
        code == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART.rawValue || code == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC.rawValue
    }

    public init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }

    /// librdkafka's symbolic name of the code, e.g. `_TIMED_OUT` or `UNKNOWN_TOPIC_OR_PART`.
    public var codeName: String { String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(code))) }

    public var description: String { "\(message) [\(codeName)]" }

    init(_ err: rd_kafka_resp_err_t, _ context: String) {
        self.init(code: err.rawValue, message: "\(context): \(String(cString: rd_kafka_err2str(err)))")
    }

    /// Takes ownership of an `rd_kafka_error_t` and destroys it.
    init(consuming error: OpaquePointer, _ context: String) {
        self.init(code: rd_kafka_error_code(error).rawValue,
                  message: "\(context): \(String(cString: rd_kafka_error_string(error)))")
        isRetriable = rd_kafka_error_is_retriable(error) != 0
        isFatal = rd_kafka_error_is_fatal(error) != 0
        transactionRequiresAbort = rd_kafka_error_txn_requires_abort(error) != 0
        rd_kafka_error_destroy(error)
    }

    /// `topic` is not among the partition counts the task was given.
    static func unknownTopic(_ topic: String, _ context: String) -> KafkaError {
        KafkaError(code: RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC.rawValue, message: "\(context): no partition count for topic \(topic)")
    }

    static func invalidArgument(_ message: String) -> KafkaError {
        KafkaError(code: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue, message: message)
    }
}
