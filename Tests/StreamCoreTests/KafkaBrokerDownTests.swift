import Foundation
import StreamCore
import Testing

/// The embedded cluster's fault drill: brokers taken down refuse clients, and once up again a
/// producer delivers what it queued meanwhile.
@Suite(.serialized) struct KafkaBrokerDownTests {
    @Test func recordsProducedWhileTheBrokersAreDownAreDeliveredOnceTheyAreUp() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 3)
        try cluster.createTopic("drill", partitions: 2)
        let producer = try KafkaTestKit.producer(cluster)
        let value = Array("v".utf8)
        func produce(_ n: Int) throws {
            for _ in 0..<n {
                try value.withUnsafeBytes { v in try producer.produce(topic: "drill", partition: 0, key: v, value: v, headers: []) }
            }
        }
        try produce(10)
        try producer.flush(timeoutMs: 10_000)
        // Records in flight at the moment the brokers go down, and more queued after.
        try produce(50_000)
        try cluster.setBrokersDown()
        try produce(10)
        #expect(throws: KafkaError.self) { try producer.flush(timeoutMs: 4_000) }
        #expect(producer.lastClientError?.isConnectionProblem == true, "\(String(describing: producer.lastClientError))")
        try cluster.setBrokersUp()
        let started = Date()
        try producer.flush(timeoutMs: 60_000)
        print("delivered \(Date().timeIntervalSince(started)) s after the brokers came up")
        #expect(producer.deliveryError == nil)
        let consumer = try KafkaTestKit.consumer(cluster)
        #expect(try consumer.watermarkOffsets(topic: "drill", partition: 0, timeoutMs: 10_000).high == 50_020)
    }
}
