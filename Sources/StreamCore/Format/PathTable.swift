/// The object keys a reader looks for, precompiled into a tree of byte strings.
///
/// Node 0 is the top-level object; each listed path ends at a node. Nodes are numbered in preorder, so a
/// node's subtree is the contiguous range `index..<subtreeEnd` (cleared at once when a duplicate key
/// replaces an earlier value: the last one wins). A node's children are the contiguous run
/// `childStart..<childEnd` of `children`, each with its name's length and first and last 8 bytes, so keys
/// of up to 16 bytes are told apart with two comparisons. A key is looked up by hashing its length and
/// first 8 bytes into one of its parent's `bucketCount` buckets: a key nobody looks for usually lands in an
/// empty one, and costs no comparison at all.
struct PathTable {
    static let bucketBits = 5
    static let bucketCount = 1 << bucketBits

    struct Node {
        var childStart: Int
        var childEnd: Int
        var subtreeEnd: Int
        /// Where this node's buckets start in `buckets`.
        var bucketStart: Int
    }

    struct Child {
        /// First 8 bytes of the name, zero-padded (see `prefix(of:)`).
        var prefix: UInt64
        /// Last 8 bytes of a name longer than 8 bytes (see `suffix(of:)`); 0 for shorter names.
        var suffix: UInt64
        var nameCount: Int
        var nameStart: Int
        var node: Int
        /// 1 + index in `children` of the next child in the same bucket, 0 at the end of the chain.
        var nextInBucket: Int32
    }

    private(set) var nodes: [Node] = []
    private(set) var children: [Child] = []
    /// 1 + index in `children` of the first child in each bucket, 0 when empty; `bucketCount` per node
    /// that has children.
    private(set) var buckets: [Int32] = []
    /// Every node's name, concatenated as UTF-8.
    private(set) var names: [UInt8] = []

    /// Builds the tree and returns, for each path in order, the node it ends at.
    init(paths: [FieldPath], nodeOf: inout [Int]) {
        final class Building {
            let name: [UInt8]
            var children: [Building] = []
            var index = 0
            init(name: [UInt8]) { self.name = name }
        }
        let root = Building(name: [])
        var ends: [Building] = []
        for path in paths {
            var node = root
            for component in path.components {
                let name = Array(component.utf8)
                if let child = node.children.first(where: { $0.name == name }) {
                    node = child
                } else {
                    let child = Building(name: name)
                    node.children.append(child)
                    node = child
                }
            }
            ends.append(node)
        }
        var preorder: [Building] = []
        func number(_ b: Building) {
            b.index = preorder.count
            preorder.append(b)
            b.children.forEach(number)
        }
        number(root)
        for b in preorder {
            let childStart = children.count
            let bucketStart = buckets.count
            if !b.children.isEmpty { buckets += repeatElement(0, count: Self.bucketCount) }
            for child in b.children {
                let prefix = child.name.withUnsafeBufferPointer { Self.prefix(of: $0) }
                let bucket = bucketStart + Self.bucket(prefix: prefix, count: child.name.count)
                let suffix = child.name.count > 8
                    ? child.name.withUnsafeBytes { Self.suffix(of: $0.baseAddress!, count: $0.count) } : 0
                children.append(Child(prefix: prefix, suffix: suffix, nameCount: child.name.count,
                                      nameStart: names.count, node: child.index, nextInBucket: buckets[bucket]))
                buckets[bucket] = Int32(children.count)
                names.append(contentsOf: child.name)
            }
            var last = b
            while let deepest = last.children.last { last = deepest }
            nodes.append(Node(childStart: childStart, childEnd: children.count, subtreeEnd: last.index + 1,
                              bucketStart: bucketStart))
        }
        nodeOf = ends.map(\.index)
    }

    /// The first (up to) 8 bytes of a name as a little-endian word, zero-padded.
    static func prefix(of name: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<min(name.count, 8) { v |= UInt64(name[i]) << (8 * UInt64(i)) }
        return v
    }

    /// The same from a word loaded at the start of a name of `count` bytes (bytes past it are masked off).
    @inline(__always)
    static func prefix(of word: UInt64, count: Int) -> UInt64 {
        count >= 8
            ? UInt64(littleEndian: word)
            : UInt64(littleEndian: word) & ((1 &<< (8 &* UInt64(truncatingIfNeeded: count))) &- 1)
    }

    /// The last 8 bytes of a name of `count` > 8 bytes at `name`, as a little-endian word.
    @inline(__always)
    static func suffix(of name: UnsafeRawPointer, count: Int) -> UInt64 {
        UInt64(littleEndian: name.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self))
    }

    /// The bucket of a name within its parent's (Fibonacci hashing: the multiply mixes all 8 bytes into
    /// the top bits).
    @inline(__always)
    static func bucket(prefix: UInt64, count: Int) -> Int {
        Int(truncatingIfNeeded: ((prefix &+ UInt64(truncatingIfNeeded: count)) &* 0x9E37_79B9_7F4A_7C15)
            >> UInt64(64 - bucketBits))
    }
}
