/// One record the generator produced, ready to be written to Kafka.
public struct GeneratedRecord: Sendable {
    public var topic: String
    public var partition: Int32
    public var key: [UInt8]
    public var value: [UInt8]

    public init(topic: String, partition: Int32, key: [UInt8], value: [UInt8]) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
    }
}
