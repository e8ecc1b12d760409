import StampedeCore

/// A depth or width bomb (`json.deep-nesting`, `json.wide`) placed in a parsed body but not built yet.
///
/// Built, a bomb is thousands of nodes that are allocated, serialized once and freed (a quarter of
/// the mutator's time when they were built eagerly). Most mutants never look at the tree again, so
/// `MutationContext` keeps the bomb pending: its text is written straight from bytes, and the nodes
/// are built (`build`) only when a later operator reads the tree. Either way the mutant is the same.
struct JSONBomb {
    enum Shape {
        /// `depth` levels of one-element arrays (`[…]`) or one-member objects (`{"a":…}`) around the node.
        case deep(depth: Int, arrays: Bool)
        /// An array of `width` zeros, or an object of `width` members `"k0":0` …, replacing the node.
        case wide(width: Int, array: Bool)
    }

    /// Child positions of the node the bomb stands on (as `JSONValue.nodePath(at:where:)`).
    let path: [Int]
    let shape: Shape

    /// What the operator reports about the bomb.
    var detail: String {
        switch shape {
        case .deep(let depth, let arrays): "\(depth) levels of \(arrays ? "arrays" : "objects")"
        case .wide(let width, let array): "\(width) \(array ? "items" : "members")"
        }
    }

    /// Turns `node` into the bomb's nodes.
    func build(_ node: inout JSONValue) {
        switch shape {
        case .deep(let depth, let arrays):
            var value = node
            for _ in 0..<depth {
                value = arrays ? .array([value]) : .object([JSONMember("a", value)])
            }
            node = value
        case .wide(let width, let array):
            let zero = JSONValue.int(0)
            node = array
                ? .array(Array(repeating: .int(0), count: width))
                : .object((0..<width).map { JSONMember(JSONBomb.wideKeys[$0], zero) })
        }
    }

    /// Appends `root` serialized as `JSONValue.write(to:)` would write it with the bomb built.
    func write(_ root: JSONValue, to out: inout [UInt8]) {
        write(root, at: path[...], to: &out)
    }

    private func write(_ value: JSONValue, at path: ArraySlice<Int>, to out: inout [UInt8]) {
        guard let i = path.first else {
            writeBomb(around: value, to: &out)
            return
        }
        // The children before and after the one on the path are written as the containers they make up:
        // the first without its closing bracket, the second with its opening one turned into a comma.
        let before: JSONValue, after: JSONValue, key: String?, child: JSONValue
        switch value {
        case .array(let items) where i < items.count:
            (before, after, key, child) = (.array(Array(items[..<i])), .array(Array(items[(i + 1)...])), nil, items[i])
        case .object(let members) where i < members.count:
            (before, after) = (.object(Array(members[..<i])), .object(Array(members[(i + 1)...])))
            (key, child) = (members[i].key, members[i].value)
        default:
            value.write(to: &out)  // not reached: the path was found in this tree
            return
        }
        before.write(to: &out)
        out.removeLast()
        if i > 0 { out.append(UInt8(ascii: ",")) }
        if let key {
            JSONValue.writeString(key, to: &out)
            out.append(UInt8(ascii: ":"))
        }
        write(child, at: path.dropFirst(), to: &out)
        let start = out.count
        after.write(to: &out)
        // An empty container is its two brackets: only the closing one stays.
        if out.count - start > 2 { out[start] = UInt8(ascii: ",") } else { out.remove(at: start) }
    }

    private func writeBomb(around node: JSONValue, to out: inout [UInt8]) {
        switch shape {
        case .deep(let depth, let arrays):
            let open: [UInt8] = arrays ? [UInt8(ascii: "[")] : Array(#"{"a":"#.utf8)
            out.reserveCapacity(out.count + depth * (open.count + 1) + 64)
            for _ in 0..<depth { out.append(contentsOf: open) }
            node.write(to: &out)
            out.append(contentsOf: repeatElement(arrays ? UInt8(ascii: "]") : UInt8(ascii: "}"), count: depth))
        case .wide(let width, let array):
            out.append(array ? UInt8(ascii: "[") : UInt8(ascii: "{"))
            let members = array ? JSONBomb.zeros : JSONBomb.wideMembers
            out.append(contentsOf: members.text[..<members.ends[width - 1]])
            out.append(array ? UInt8(ascii: "]") : UInt8(ascii: "}"))
        }
    }

    /// `k0` … `k4999`, the member names of a wide object.
    static let wideKeys: [String] = (0..<maximumWidth).map { "k\($0)" }
    static let maximumWidth = 5_000

    /// The text of a wide bomb's items, comma-separated, and where each item ends in it.
    struct Items {
        let text: [UInt8]
        let ends: [Int]

        init(_ item: (Int) -> [UInt8]) {
            var text: [UInt8] = []
            var ends: [Int] = []
            for i in 0..<JSONBomb.maximumWidth {
                if i > 0 { text.append(UInt8(ascii: ",")) }
                text += item(i)
                ends.append(text.count)
            }
            self.text = text
            self.ends = ends
        }
    }

    static let zeros = Items { _ in JSONValue.int(0).serializedBytes() }
    static let wideMembers = Items { i in
        Array(JSONValue.object([JSONMember(wideKeys[i], .int(0))]).serializedBytes().dropFirst().dropLast())
    }
}
