/// The object keys a reader looks for, precompiled into a tree of byte strings.
///
/// Node 0 is the top-level object; each listed path ends at a node. Nodes are numbered in preorder, so a
/// node's subtree is the contiguous range `index..<subtreeEnd` (cleared at once when a duplicate key
/// replaces an earlier value: the last one wins). A node's children are the contiguous run
/// `childStart..<childEnd` of `children`, each with its name's length and first 8 bytes, so most keys are
/// told apart with one comparison.
struct PathTable {
    struct Node {
        var childStart: Int
        var childEnd: Int
        var subtreeEnd: Int
    }

    struct Child {
        /// First 8 bytes of the name, zero-padded (see `prefix(of:)`).
        var prefix: UInt64
        var nameCount: Int
        var nameStart: Int
        var node: Int
    }

    private(set) var nodes: [Node] = []
    private(set) var children: [Child] = []
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
            for child in b.children {
                children.append(Child(prefix: child.name.withUnsafeBufferPointer { Self.prefix(of: $0) },
                                      nameCount: child.name.count, nameStart: names.count, node: child.index))
                names.append(contentsOf: child.name)
            }
            var last = b
            while let deepest = last.children.last { last = deepest }
            nodes.append(Node(childStart: childStart, childEnd: children.count, subtreeEnd: last.index + 1))
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
        count >= 8 ? UInt64(littleEndian: word) : UInt64(littleEndian: word) & ((1 << (8 * UInt64(count))) - 1)
    }
}
