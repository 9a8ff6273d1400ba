/// Java-compatible murmur2 partitioner: the partition Kafka's Java client picks for a non-null key
/// (`toPositive(murmur2(key)) % partitionCount`, seed 0x9747b28c), also librdkafka's "murmur2_random".
public enum KafkaPartitioner {
    public static func partition(key: UnsafeRawBufferPointer, partitionCount: Int32) -> Int32 {
        precondition(partitionCount > 0, "partitionCount must be positive")
        return Int32(bitPattern: murmur2(key) & 0x7fff_ffff) % partitionCount
    }

    /// Kafka's `Utils.murmur2` (little-endian 4-byte blocks, Java's tail handling).
    public static func murmur2(_ data: UnsafeRawBufferPointer) -> UInt32 {
        let m: UInt32 = 0x5bd1_e995
        let length = data.count
        var h: UInt32 = 0x9747_b28c ^ UInt32(truncatingIfNeeded: length)
        var i = 0
        while i + 4 <= length {
            var k = UInt32(littleEndian: data.loadUnaligned(fromByteOffset: i, as: UInt32.self))
            k &*= m
            k ^= k >> 24
            k &*= m
            h &*= m
            h ^= k
            i += 4
        }
        let rest = length & 3
        if rest == 3 { h ^= UInt32(data[i + 2]) << 16 }
        if rest >= 2 { h ^= UInt32(data[i + 1]) << 8 }
        if rest >= 1 {
            h ^= UInt32(data[i])
            h &*= m
        }
        h ^= h >> 13
        h &*= m
        h ^= h >> 15
        return h
    }
}
