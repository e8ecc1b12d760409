package import StampedeCore

/// Navigation by child positions (index into an array's items or an object's members), which,
/// unlike keys, stays unambiguous when an object repeats a key.
extension JSONValue {
    /// Child-position paths of the first `limit` nodes that satisfy `filter`, in pre-order (root first).
    package func nodePaths(where filter: (JSONValue) -> Bool, limit: Int = .max) -> [[Int]] {
        var result: [[Int]] = []
        var prefix: [Int] = []
        collect(into: &result, prefix: &prefix, limit: limit, filter: filter)
        return result
    }

    /// How many nodes satisfy `filter`.
    package func nodeCount(where filter: (JSONValue) -> Bool) -> Int {
        var count = filter(self) ? 1 : 0
        forEachChild { _, child in count += child.nodeCount(where: filter) }
        return count
    }

    /// The child-position path of the `index`-th node (0-based, pre-order) that satisfies `filter`:
    /// `nodePaths(where: filter)[index]` without building every path. A mutant of a deeply nested
    /// body has thousands of nodes whose paths are thousands of positions long, so the list of all
    /// paths grows with the square of the depth (38 MB for one pick in a soak run); this walk keeps
    /// one path.
    package func nodePath(at index: Int, where filter: (JSONValue) -> Bool) -> [Int]? {
        var remaining = index
        var prefix: [Int] = []
        return find(&remaining, prefix: &prefix, filter: filter) ? prefix : nil
    }

    private func find(_ remaining: inout Int, prefix: inout [Int], filter: (JSONValue) -> Bool) -> Bool {
        if filter(self) {
            if remaining == 0 { return true }
            remaining -= 1
        }
        var found = false
        forEachChild { position, child in
            guard !found else { return }
            prefix.append(position)
            found = child.find(&remaining, prefix: &prefix, filter: filter)
            if !found { prefix.removeLast() }
        }
        return found
    }

    private func forEachChild(_ body: (Int, JSONValue) -> Void) {
        switch self {
        case .array(let items):
            for (i, item) in items.enumerated() { body(i, item) }
        case .object(let members):
            for (i, member) in members.enumerated() { body(i, member.value) }
        default:
            break
        }
    }

    private func collect(into result: inout [[Int]], prefix: inout [Int], limit: Int, filter: (JSONValue) -> Bool) {
        guard result.count < limit else { return }
        if filter(self) { result.append(prefix) }
        forEachChild { position, child in
            guard result.count < limit else { return }
            prefix.append(position)
            child.collect(into: &result, prefix: &prefix, limit: limit, filter: filter)
            prefix.removeLast()
        }
    }

    /// The node at a child-position path.
    func node(at path: ArraySlice<Int>) -> JSONValue? {
        guard let first = path.first else { return self }
        switch self {
        case .array(let items) where first < items.count: return items[first].node(at: path.dropFirst())
        case .object(let members) where first < members.count: return members[first].value.node(at: path.dropFirst())
        default: return nil
        }
    }

    /// The key path for messages, e.g. `/alerts/0/labels`.
    func pointerText(for path: ArraySlice<Int>) -> String {
        var out = ""
        var current = self
        for i in path {
            switch current {
            case .array(let items) where i < items.count:
                out += "/\(i)"
                current = items[i]
            case .object(let members) where i < members.count:
                out += "/" + members[i].key
                current = members[i].value
            default:
                return out
            }
        }
        return out.isEmpty ? "/" : out
    }

    /// Edits the node at a path in place; nil when the path does not resolve.
    mutating func modify<R>(at path: ArraySlice<Int>, _ edit: (inout JSONValue) -> R) -> R? {
        guard let first = path.first else { return edit(&self) }
        switch self {
        case .array(var items) where first < items.count:
            self = .null  // release the old storage so the edit below does not copy
            let result = items[first].modify(at: path.dropFirst(), edit)
            self = .array(items)
            return result
        case .object(var members) where first < members.count:
            self = .null
            let result = members[first].value.modify(at: path.dropFirst(), edit)
            self = .object(members)
            return result
        default:
            return nil
        }
    }

    /// Removes the node at a non-empty path; returns false if it does not resolve.
    mutating func removeNode(at path: ArraySlice<Int>) -> Bool {
        guard let last = path.last else { return false }
        return modify(at: path.dropLast()) { parent -> Bool in
            switch parent {
            case .array(var items) where last < items.count:
                items.remove(at: last)
                parent = .array(items)
                return true
            case .object(var members) where last < members.count:
                members.remove(at: last)
                parent = .object(members)
                return true
            default:
                return false
            }
        } ?? false
    }

    /// Items of an array or members of an object; 0 for scalars.
    var childCount: Int {
        switch self {
        case .array(let items): items.count
        case .object(let members): members.count
        default: 0
        }
    }

    /// The child of a one-child container.
    var onlyChild: JSONValue? {
        switch self {
        case .array(let items) where items.count == 1: items[0]
        case .object(let members) where members.count == 1: members[0].value
        default: nil
        }
    }

    /// Removes a run of children; false when the range does not fit.
    mutating func removeChildren(_ range: Range<Int>) -> Bool {
        switch self {
        case .array(var items) where range.upperBound <= items.count:
            items.removeSubrange(range)
            self = .array(items)
            return true
        case .object(var members) where range.upperBound <= members.count:
            members.removeSubrange(range)
            self = .object(members)
            return true
        default:
            return false
        }
    }
}
