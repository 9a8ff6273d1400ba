/// Object keys: scanning one and finding which child of a `PathTable` node it names.
extension JSONScanner {
    /// Scans a key from `start` (after its opening quote) through its closing quote; returns the position
    /// after it and the child of `context` it names (-1 when none, or when `context` is -1). `table`: the
    /// first of `context`'s buckets (any pointer when `context` is -1), found once per object.
    ///
    /// A plain key (no escape, control or non-ASCII byte) ends at the first special byte. On x86-64 the
    /// 16-byte scan finds it at once and the table's prefix is the first 8 bytes masked at the closing
    /// quote; elsewhere the word loaded for the scan, so masked, is the prefix.
    @inline(__always)
    func scanKey(_ start: Int, context: Int, table: UnsafePointer<Int32>) throws(JSONError) -> (Int, Int) {
        #if arch(x86_64)
        let i = skipPlainStringBytes(start)
        if p[i] == UInt8(ascii: "\"") {
            guard context >= 0 else { return (i &+ 1, -1) }
            let count = i &- start
            return (i &+ 1, lookup(table, prefix: PathTable.prefix(of: loadWord(start), count: count), count: count,
                                   key: p + start))
        }
        #else
        let word = loadWord(start)
        let special = Self.specialBytes(word)
        if special != 0 {
            let count = special.trailingZeroBitCount &>> 3
            if p[start &+ count] == UInt8(ascii: "\"") {
                guard context >= 0 else { return (start &+ count &+ 1, -1) }
                // The lowest flag is bit 8*count+7; a shift and a decrement turn it into the mask.
                let prefix = word & (((special & (0 &- special)) &>> 7) &- 1)
                return (start &+ count &+ 1, lookup(table, prefix: prefix, count: count, key: p + start))
            }
        } else {
            let i = skipPlainStringBytes(start &+ 8)
            if p[i] == UInt8(ascii: "\"") {
                guard context >= 0 else { return (i &+ 1, -1) }
                return (i &+ 1, lookup(table, prefix: word, count: i &- start, key: p + start))
            }
        }
        #endif
        return try scanOtherKey(start, context: context)
    }

    /// `scanKey` for keys with escapes, control or non-ASCII bytes, or no closing quote.
    private func scanOtherKey(_ start: Int, context: Int) throws(JSONError) -> (Int, Int) {
        let (after, escaped) = try scanString(start)
        guard context >= 0 else { return (after, -1) }
        return (after, match(parent: context, keyStart: start, keyEnd: after &- 1, escaped: escaped))
    }

    /// The child node of `parent` named by the key `keyStart..<keyEnd` (of any form), or -1.
    private func match(parent: Int, keyStart: Int, keyEnd: Int, escaped: Bool) -> Int {
        var key = p + keyStart
        var count = keyEnd - keyStart
        if escaped {
            count = Self.unescape(p, from: keyStart, to: keyEnd, into: keyBuffer)
            key = UnsafePointer(keyBuffer)
        }
        let prefix = count >= 8 || !escaped
            ? PathTable.prefix(of: UnsafeRawPointer(key).loadUnaligned(as: UInt64.self), count: count)
            : PathTable.prefix(of: UnsafeBufferPointer(start: key, count: count))
        return lookup(buckets + nodes[parent].bucketStart, prefix: prefix, count: count, key: key)
    }

    /// The child, among those whose buckets start at `table`, whose name is the `count` bytes at `key`,
    /// which begin with `prefix`; or -1.
    /// Names of 9 to 16 bytes are told apart by their first and last 8 bytes; only longer ones compare the
    /// bytes in between.
    @inline(__always)
    private func lookup(_ table: UnsafePointer<Int32>, prefix: UInt64, count: Int, key: UnsafePointer<UInt8>) -> Int {
        var c = Int(table[PathTable.bucket(prefix: prefix, count: count)])
        while c != 0 {
            let child = children[c &- 1]
            if child.prefix == prefix, child.nameCount == count,
               count <= 8 || (PathTable.suffix(of: key, count: count) == child.suffix
                   && (count <= 16 || Self.bytesEqual(key + 8, names + (child.nameStart &+ 8), count &- 16))) {
                return child.node
            }
            c = Int(child.nextInBucket)
        }
        return -1
    }

    private static func bytesEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        for i in 0..<count where a[i] != b[i] { return false }
        return true
    }
}
