import Foundation
import Logging
import Synchronization

/// One source partition of a job running in a slot: a `TaskRuntime` from a Kafka partition to
/// Kafka topics, with what Kafka delivery needs around it: checkpoints, restore with the output
/// scan of exactly-once, transactions. Confined to its slot's thread.
final class StreamTask {
    let id: TaskId
    let spec: JobSpec
    let attempt: Int
    let metrics = TaskMetrics()
    private let config: TaskConfiguration
    private let pipeline: Pipeline
    private let consumer: KafkaConsumer
    private let source: KafkaPartitionSource
    private let runtime: TaskRuntime
    private let producer: KafkaProducer
    private let sink: KafkaSink
    private let store: RocksDBStore
    private let directory: TaskCheckpointDirectory
    private var position: TaskCheckpointMetadata
    private var lastRecordWallMs: Int64
    /// Transactional mode under a jobmanager: the jobmanager's checkpoint whose transaction this
    /// task acknowledged and holds open, producing nothing, until told it completed.
    private var awaitingCommit: Int64?
    /// The checkpoint the last committed transaction named: a transactional restart goes back to
    /// it, so pruning must keep it however many uncommitted checkpoints follow.
    private var committedCheckpointId: Int64?
    private var lastIdleAdvanceMs: Int64
    /// Nanoseconds spent in the producer's flush at checkpoints (its queue-full waits it counts itself).
    private var flushWaitNs: UInt64 = 0
    /// Inside a measured call (a poll), so a checkpoint it makes is not counted twice.
    private var measuring = false
    private var reachability = KafkaReachability()

    var isFinished: Bool { position.finished }
    /// Where the task's checkpoints live, which a storage failure names.
    var checkpointPath: String { directory.path }

    init(id: TaskId, spec: JobSpec, config: TaskConfiguration, sinkPartitions: [String: Int32]) throws {
        self.id = id
        self.spec = spec
        self.config = config
        var upstreamTasks = 0
        if let upstreamTopic = spec.upstreamTopic {
            guard let count = sinkPartitions[upstreamTopic] else {
                throw KafkaError.unknownTopic(upstreamTopic, "stage 2 of \(spec.name) counts a stage-1 task per partition")
            }
            upstreamTasks = Int(count)
        }
        pipeline = Pipeline(job: try CompiledJob.compile(spec).get(), partition: id.partition, deadLetterTopic: id.topic,
                            upstreamTasks: upstreamTasks)
        directory = TaskCheckpointDirectory(root: config.checkpointRoot, job: spec.checkpointName, partition: id.partition,
                                            retained: config.retainedCheckpoints)
        attempt = try directory.nextAttempt()
        consumer = try KafkaConsumer(config: config.consumerConfig)

        let transactional = spec.delivery == .transactional
        producer = try KafkaProducer(config: config.producerConfig(
            transactionalId: transactional ? "\(spec.name)-\(id.topic)-\(id.partition)" : nil))
        if transactional {
            // Before the committed offsets are read: this fences the predecessor and settles its
            // open transaction, so a commit it still had in flight cannot land after the read.
            try producer.initTransactions(timeoutMs: config.kafkaTimeoutMs)
            try producer.beginTransaction()
        }
        let streams = spec.outputStreams.map { ($0.stream, KafkaSink.Topic(name: $0.topic, partitions: sinkPartitions[$0.topic]!)) }
        sink = KafkaSink(producer: producer, streams: streams, taskId: id.description, attempt: attempt, lease: config.lease)

        let restoreId = try StreamTask.checkpointToRestore(spec: spec, id: id, directory: directory, config: config)
        store = try RocksDBStore(path: directory.prepareWorkingStore(attempt: attempt, from: restoreId))
        pipeline.attach(store: store, maxRowsInMemory: config.maxRowsInMemory)
        let now = WallClock.nowMs()
        lastRecordWallMs = now
        lastIdleAdvanceMs = now

        if restoreId != nil, let restored = try store.get(StateKeys.metadata).map(TaskCheckpointMetadata.decode) {
            guard restored.stateLayout == StateKeys.layout else {
                throw CheckpointRestoreError.unreadableLayout(directory.checkpointPath(restored.checkpointId),
                                                              found: restored.stateLayout)
            }
            position = restored
            if config.bounded && restored.endOffset == nil && !spec.readsRepartitionTopic {
                // Restored from an unbounded run (a savepoint): bounded from here to today's end.
                position.endOffset = try consumer.watermarkOffsets(topic: id.topic, partition: id.partition,
                                                                   timeoutMs: config.kafkaTimeoutMs).high
            }
            metrics.lastCheckpointId.store(restored.checkpointId, ordering: .relaxed)
            try pipeline.restore(from: store, watermark: restored.watermark)
            sink.restore(restored.sinks)
            var writtenThrough: [String] = [], gaps: [String] = []
            if spec.delivery == .exactlyOnce {
                for found in try WrittenSequenceScan.scan(consumerConfig: config.consumerConfig, taskId: id.description,
                                                         positions: restored.sinks, timeoutMs: config.kafkaTimeoutMs) {
                    sink.setWritten(topic: found.topic, partition: found.partition, found.written)
                    writtenThrough.append("\(found.topic)/\(found.partition):\(found.written.highest)")
                    if found.written.missing > 0 { gaps.append("\(found.topic)/\(found.partition):\(found.written.missing)") }
                }
            }
            // What a failover resumed from and what it will not write again: the first thing to read
            // when output after a failover is not exact.
            Logger(label: "stream.task").info("task restored", metadata: [
                "task": "\(id)", "attempt": "\(attempt)", "checkpoint": "\(restored.checkpointId)",
                "inputOffset": "\(restored.nextOffset)", "writtenThrough": "\(writtenThrough.joined(separator: " "))",
                "gapsRewritten": "\(gaps.joined(separator: " "))",
            ])
        } else {
            let (low, high) = try consumer.watermarkOffsets(topic: id.topic, partition: id.partition, timeoutMs: config.kafkaTimeoutMs)
            var positions: [SinkPartitionPosition] = []
            for topic in sink.topics {
                for p in 0..<topic.partitions {
                    let end = try consumer.watermarkOffsets(topic: topic.name, partition: p, timeoutMs: config.kafkaTimeoutMs).high
                    positions.append(SinkPartitionPosition(topic: topic.name, partition: p, nextSequence: 0, scanFrom: end))
                }
            }
            sink.restore(positions)
            position = TaskCheckpointMetadata(checkpointId: -1, job: spec.name, topic: id.topic, partition: id.partition,
                                              nextOffset: low, endOffset: StreamTask.endOffset(spec, config, high: high), finished: false,
                                              watermark: PartitionWatermark.minusInfinity, sinks: positions, counters: TaskCounters())
        }
        source = KafkaPartitionSource(consumer: consumer, topic: id.topic, partition: id.partition,
                                      from: position.nextOffset, endOffset: position.endOffset)
        runtime = TaskRuntime(pipeline: pipeline, source: source, sink: sink, counters: position.counters)
        if transactional, let restoreId {
            committedCheckpointId = restoreId
            metrics.lastCommittedCheckpointId.store(restoreId, ordering: .relaxed)
        }
        if restoreId == nil {
            // Checkpoint 0 pins the bounded end offset and the output scan bounds before any output.
            try checkpoint()
        }
        metrics.nextOffset.store(position.nextOffset, ordering: .relaxed)
        metrics.watermark.store(pipeline.watermark, ordering: .relaxed)
        metrics.endOffset.store(position.endOffset ?? -1, ordering: .relaxed)
        if !position.finished { try source.assign() }
    }

    /// A bounded task's input ends at the partition's end offset when the run first started; a
    /// stage-2 task's ends when every stage-1 task wrote its end (`Pipeline.upstreamEnded`).
    private static func endOffset(_ spec: JobSpec, _ config: TaskConfiguration, high: Int64) -> Int64? {
        config.bounded && !spec.readsRepartitionTopic ? high : nil
    }

    /// Transactional mode restores the checkpoint whose offsets the last committed transaction
    /// carried (a checkpoint written but never committed is skipped); otherwise the latest.
    private static func checkpointToRestore(spec: JobSpec, id: TaskId, directory: TaskCheckpointDirectory,
                                            config: TaskConfiguration) throws -> Int64? {
        let ids = directory.checkpointIds()
        guard spec.delivery == .transactional, !ids.isEmpty else { return ids.last }
        var groupConfig = config.consumerConfig
        groupConfig["group.id"] = spec.name
        let committed = try KafkaConsumer(config: groupConfig).committed([(id.topic, id.partition)], timeoutMs: config.kafkaTimeoutMs)
        if let metadata = committed.first?.metadata, metadata.hasPrefix("chk-"),
           let named = Int64(metadata.dropFirst(4)), ids.contains(named) {
            return named
        }
        // No committed checkpoint (first commit not reached, or a broker that keeps no
        // transactional offsets, like the embedded one): the latest is the best known.
        return ids.last
    }

    /// Reads and processes up to `maxRecords` records; returns how many arrived.
    func poll(maxRecords: Int, timeoutMs: Int32) throws -> Int {
        guard !position.finished, awaitingCommit == nil else { return 0 }
        let started = Lease.now(), waitedBefore = sinkWaitNs
        var n = 0
        measuring = true
        defer {
            measuring = false
            // Per batch, not per record: a poll that found nothing is idle time.
            if n > 0 || position.finished { account(since: started, sinkWaitBefore: waitedBefore) }
        }
        n = try runtime.runBatch(maxRecords: maxRecords, timeoutMs: timeoutMs)
        if n > 0 { lastRecordWallMs = WallClock.nowMs() }
        noteReachability(recordsRead: n)
        try emit()
        if source.isExhausted || (config.bounded && pipeline.upstreamEnded) { try finish() }
        return n
    }

    /// Time waiting on the sink: a full producer queue, checkpoint flushes.
    private var sinkWaitNs: UInt64 { producer.queueFullWaitNs + flushWaitNs }

    /// Busy time since `started`, less what of it was spent waiting on the sink (back-pressured).
    private func account(since started: UInt64, sinkWaitBefore: UInt64) {
        let elapsed = Int64(Lease.now() - started)
        let waited = Int64(sinkWaitNs - sinkWaitBefore)
        metrics.busyTimeNs.add(max(0, elapsed - waited), ordering: .relaxed)
        metrics.backPressuredTimeNs.store(Int64(sinkWaitNs), ordering: .relaxed)
    }

    /// Shows, in the task's figures and the log, when its clients stop reaching Kafka and when
    /// they reach it again: the task stalls meanwhile, and librdkafka reconnects by itself.
    private func noteReachability(recordsRead: Int) {
        guard reachability.update(consumer: consumer, producer: producer, recordsRead: recordsRead) else { return }
        let problem = reachability.problem
        metrics.kafkaError.withLock { $0 = problem }
        let logger = Logger(label: "stream.task")
        if let problem {
            logger.warning("task stalls: \(problem)", metadata: ["task": "\(id)", "nextOffset": "\(position.nextOffset)"])
        } else {
            logger.info("task reaches Kafka again", metadata: ["task": "\(id)", "nextOffset": "\(position.nextOffset)"])
        }
    }

    /// Waits until the output is acknowledged: for up to three Kafka timeouts while brokers
    /// answer, and for as long as none does (the task stalls and says why; librdkafka
    /// reconnects by itself). Records that time out in the producer end the wait with an error.
    private func flushOutput() throws {
        let stepMs: Int32 = 200, limitMs = config.kafkaTimeoutMs * 3
        var waitedMs: Int32 = 0
        while true {
            do {
                try producer.flush(timeoutMs: stepMs)
                return
            } catch let error as KafkaError where error.codeName == "_TIMED_OUT" && producer.deliveryError == nil {
                noteReachability(recordsRead: 0)
                if reachability.problem != nil { continue }
                waitedMs += stepMs
                guard waitedMs >= limitMs else { continue }
                var timedOut = error
                timedOut.message = "flush did not finish within \(limitMs / 1000) s: \(producer.inFlight) records unacknowledged"
                throw timedOut
            } catch let error as KafkaError {
                noteReachability(recordsRead: 0)
                throw reachability.explain(error)
            }
        }
    }

    /// Sends what the last records emitted and serves delivery reports.
    private func emit() throws {
        try runtime.flush()
        producer.poll(timeoutMs: 0)
        if let error = producer.deliveryError { throw reachability.explain(error) }
        let counters = runtime.counters
        metrics.recordsIn.store(counters.recordsIn, ordering: .relaxed)
        metrics.recordsOut.store(counters.recordsOut, ordering: .relaxed)
        metrics.badRecords.store(counters.badRecords, ordering: .relaxed)
        metrics.lateRecords.store(counters.lateRecords, ordering: .relaxed)
        metrics.nextOffset.store(source.nextOffset, ordering: .relaxed)
        metrics.watermark.store(pipeline.watermark, ordering: .relaxed)
        metrics.stateRowsInMemory.store(Int64(pipeline.rowsInMemory), ordering: .relaxed)
        metrics.keysHeld.store(Int64(pipeline.keysHeld), ordering: .relaxed)
        metrics.stateRowsSpilled.store(Int64(pipeline.rowsSpilled), ordering: .relaxed)
        if !spec.steps.isEmpty {
            // Element by element: sharing the pipeline's array would make its next count copy it.
            let filtered = pipeline.filteredByStep
            metrics.filteredByStep.withLock { copy in
                if copy.count != filtered.count { copy = [Int64](repeating: 0, count: filtered.count) }
                for i in filtered.indices { copy[i] = filtered[i] }
            }
        }
        if position.endOffset == nil, let high = consumer.cachedWatermarkOffsets(topic: id.topic, partition: id.partition)?.high {
            metrics.endOffset.store(high, ordering: .relaxed)
        }
    }

    /// An idle partition's watermark follows the wall clock (unbounded runs with idleTimeout).
    func tick(nowMs: Int64) throws {
        guard !config.bounded, let idle = spec.source.watermark.idleTimeoutMs, !position.finished, awaitingCommit == nil else { return }
        defer { lastIdleAdvanceMs = nowMs }
        let current = pipeline.watermark
        guard nowMs - lastRecordWallMs >= idle, current != PartitionWatermark.minusInfinity else { return }
        try runtime.advanceWatermark(to: current + (nowMs - lastIdleAdvanceMs))
        try emit()
    }

    /// A stop with drain: as at the end of a bounded run, the watermark becomes plus infinity and
    /// every window fires, so the final checkpoint holds no open window.
    func drain() throws {
        try runtime.advanceWatermark(to: PartitionWatermark.plusInfinity)
        try emit()
    }

    /// End of a bounded run: the watermark becomes plus infinity and every window fires.
    private func finish() throws {
        try drain()
        position.finished = true
        try checkpoint()
    }

    /// Takes a checkpoint: output acknowledged, then state and positions written, then published.
    /// `requested` is the jobmanager's checkpoint id; a task whose own history is already past it
    /// (restored from a later one) takes its next own id, which acknowledges `requested` as well.
    /// Transactional: the source offset goes into the open transaction with metadata `chk-<id>`;
    /// the transaction commits now, unless the jobmanager requested the checkpoint and commits
    /// on notice (`commitOnCompletionNotice`): then the task holds until `commit(completed:)`.
    /// The task's own checkpoints (the first, the last of a bounded run) always commit now: there
    /// is no other task's checkpoint to wait for, since tasks share no data.
    func checkpoint(requested: Int64? = nil) throws {
        let started = Lease.now(), waitedBefore = sinkWaitNs, measured = !measuring
        defer { if measured { account(since: started, sinkWaitBefore: waitedBefore) } }
        CrashPoint.reached(.checkpointStart, task: spec.checkpointName)
        try emit()
        let flushStarted = Lease.now()
        do {
            defer { flushWaitNs += Lease.now() - flushStarted }
            try flushOutput()
        }
        CrashPoint.reached(.checkpointFlushed, task: spec.checkpointName)
        let checkpointId = max(requested ?? 0, (directory.checkpointIds().last ?? -1) + 1)
        position.checkpointId = checkpointId
        position.nextOffset = source.nextOffset
        position.counters = runtime.counters
        position.watermark = pipeline.watermark
        position.sinks = sink.positions()
        let batch = RocksDBWriteBatch()
        pipeline.snapshotChanges(into: batch)
        batch.put(StateKeys.metadata, position.encoded())
        try store.write(batch)
        CrashPoint.reached(.checkpointStateWritten, task: spec.checkpointName)
        try directory.publish(store, id: checkpointId, keeping: committedCheckpointId)
        CrashPoint.reached(.checkpointPublished, task: spec.checkpointName)
        if spec.delivery == .transactional {
            try producer.sendOffsetsToTransaction(
                [TopicPartitionOffset(topic: id.topic, partition: id.partition, offset: position.nextOffset, metadata: "chk-\(checkpointId)")],
                groupId: spec.name, timeoutMs: config.kafkaTimeoutMs)
            if let requested, config.commitOnCompletionNotice {
                awaitingCommit = requested
                metrics.awaitingCommit.store(requested, ordering: .relaxed)
            } else {
                try commitTransaction(checkpointId)
            }
        }
        metrics.lastCheckpointDurationMs.store(Int64((Lease.now() - started) / 1_000_000), ordering: .relaxed)
        metrics.lastCheckpointBytes.store(directory.bytes(of: checkpointId), ordering: .relaxed)
        metrics.lastCheckpointId.store(checkpointId, ordering: .relaxed)
        if let released = try pipeline.releaseUnusedKeys() {
            Logger(label: "stream.task").info("released keys no state references", metadata: [
                "task": "\(id)", "checkpoint": "\(checkpointId)", "keysBefore": "\(released.before)", "keysAfter": "\(released.after)",
            ])
        }
    }

    /// The jobmanager's notice that its checkpoint `completed` is complete: commits the
    /// transaction held for it (or for an earlier one that failed) and resumes production. A
    /// repeated notice finds nothing held and does nothing.
    func commit(completed: Int64) throws {
        guard let awaiting = awaitingCommit, awaiting <= completed else { return }
        try commitTransaction(position.checkpointId)
    }

    var isAwaitingCommit: Bool { awaitingCommit != nil }

    private func commitTransaction(_ checkpointId: Int64) throws {
        try producer.commitTransaction(timeoutMs: config.kafkaTimeoutMs)
        committedCheckpointId = checkpointId
        awaitingCommit = nil
        metrics.awaitingCommit.store(-1, ordering: .relaxed)
        metrics.lastCommittedCheckpointId.store(checkpointId, ordering: .relaxed)
        if !position.finished { try producer.beginTransaction() }
    }

    func close() {
        try? producer.flush(timeoutMs: config.kafkaTimeoutMs)
        store.close()
    }

    /// Stops without flushing: the task failed or now runs elsewhere, and whatever it has not
    /// delivered must not arrive after its successor scanned the output.
    func abandon() {
        producer.purge()
        store.close()
    }
}
