/// Whether a task's Kafka clients reach the cluster, as far as librdkafka tells: its latest
/// connection error (refused, closed, all brokers down) holds until the clients show a sign of
/// life after it: a record read or a delivery acknowledged. Checked once per poll of the task
/// from counters, so it costs a lock only when librdkafka reported something new.
struct KafkaReachability {
    /// What librdkafka last said while no broker answers; nil while they do.
    private(set) var problem: String?
    private var consumerErrors = 0
    private var producerErrors = 0
    private var acknowledged = 0

    /// Takes what the clients reported since the last call; returns true when `problem` changed.
    mutating func update(consumer: KafkaConsumer, producer: KafkaProducer, recordsRead: Int) -> Bool {
        var newError: KafkaError?
        if consumer.clientErrorCount != consumerErrors {
            consumerErrors = consumer.clientErrorCount
            if let e = consumer.lastClientError, e.isConnectionProblem { newError = e }
        }
        if producer.clientErrorCount != producerErrors {
            producerErrors = producer.clientErrorCount
            if let e = producer.lastClientError, e.isConnectionProblem { newError = e }
        }
        let acked = producer.acknowledgedCount
        let alive = recordsRead > 0 || acked != acknowledged
        acknowledged = acked
        let before = problem
        if let newError {
            problem = "Kafka broker unreachable: \(newError.message)"
        } else if alive {
            problem = nil
        }
        return problem != before
    }

    /// A delivery or flush that timed out while no broker answered says why.
    func explain(_ error: KafkaError) -> KafkaError {
        guard let problem, error.codeName == "_MSG_TIMED_OUT" || error.codeName == "_TIMED_OUT" else { return error }
        var explained = error
        explained.message = "\(problem); \(error.message)"
        return explained
    }
}
