/// Kafka's default partitioner for keyed records (Java client and librdkafka's
/// `murmur2_random`): `(murmur2(key) & 0x7fffffff) % partitions`. Kept internal and
/// dependency-free; StreamCore has its own public one for the engine.
enum Murmur2Partitioner {
    static func partition(key: [UInt8], partitions: Int32) -> Int32 {
        Int32(bitPattern: murmur2(key) & 0x7FFF_FFFF) % partitions
    }

    /// Kafka's murmur2 variant (seed 0x9747b28c).
    static func murmur2(_ data: [UInt8]) -> UInt32 {
        let m: UInt32 = 0x5BD1_E995
        var h: UInt32 = 0x9747_B28C ^ UInt32(truncatingIfNeeded: data.count)
        let blocks = data.count / 4
        for block in 0..<blocks {
            let i = block * 4
            var k = UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16 | UInt32(data[i + 3]) << 24
            k = k &* m
            k ^= k >> 24
            k = k &* m
            h = h &* m
            h ^= k
        }
        let tail = blocks * 4
        switch data.count - tail {
        case 3:
            h ^= UInt32(data[tail + 2]) << 16
            fallthrough
        case 2:
            h ^= UInt32(data[tail + 1]) << 8
            fallthrough
        case 1:
            h ^= UInt32(data[tail])
            h = h &* m
        default:
            break
        }
        h ^= h >> 13
        h = h &* m
        h ^= h >> 15
        return h
    }
}
