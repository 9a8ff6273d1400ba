import CRdKafka

/// Kafka transactions; the config must contain transactional.id.
/// On the embedded cluster these calls succeed but no markers are written (docs/bss-jobs.md §8).
extension KafkaProducer {
    public func initTransactions(timeoutMs: Int32) throws {
        try check(rd_kafka_init_transactions(rk, timeoutMs), "init_transactions")
    }

    public func beginTransaction() throws {
        try check(rd_kafka_begin_transaction(rk), "begin_transaction")
    }

    /// Flushes outstanding records, then commits. An error with `transactionRequiresAbort` means:
    /// call `abortTransaction` and redo the work.
    public func commitTransaction(timeoutMs: Int32) throws {
        try check(rd_kafka_commit_transaction(rk, timeoutMs), "commit_transaction")
    }

    public func abortTransaction(timeoutMs: Int32) throws {
        try check(rd_kafka_abort_transaction(rk, timeoutMs), "abort_transaction")
    }

    /// Sends offsets (with metadata string) for consumer group `groupId` into the open transaction.
    public func sendOffsetsToTransaction(_ offsets: [TopicPartitionOffset], groupId: String, timeoutMs: Int32) throws {
        let list = TopicPartitionList.make(offsets)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        guard let group = rd_kafka_consumer_group_metadata_new(groupId) else {
            throw KafkaError.invalidArgument("cannot make group metadata for \(groupId)")
        }
        defer { rd_kafka_consumer_group_metadata_destroy(group) }
        try check(rd_kafka_send_offsets_to_transaction(rk, list, group, timeoutMs), "send_offsets_to_transaction")
    }

    private func check(_ error: OpaquePointer?, _ operation: String) throws {
        if let error { throw KafkaError(consuming: error, operation) }
    }
}
