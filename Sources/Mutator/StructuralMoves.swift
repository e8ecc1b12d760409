import StampedeCore
import StampedeHTTP

/// The one-step simplifications the shrinker tries, and how to apply them.
enum StructuralMoves {
    enum Move {
        case dropBody
        case dropHeader(Int)
        case dropQuery(Int)
        case dropFormField(Int)
        case dropJSON([Int])
        /// Removes a run of an array's items or an object's members (delta debugging on width).
        case dropJSONRange([Int], Range<Int>)
        /// Replaces a node by its descendant `levels` single-child containers down (depth bisection).
        case collapseJSON([Int], Int)
        case cutJSONString([Int], StringCut)
        case setJSONNumber([Int], String)
        case cutHeader(Int, StringCut)
        case cutQuery(Int, StringCut)
        case bodyPrefix(Int)
    }

    /// A shorter string: a prefix, a suffix, or the string without a middle run (in unicode scalars).
    enum StringCut: Hashable {
        case prefix(Int)
        case suffix(Int)
        case removing(Range<Int>)
    }

    static let parser = JSONParser(maximumDepth: 4096, allowsTemplatePlaceholders: true)

    static func json(_ request: RequestTemplate) -> JSONValue? {
        guard let body = request.body, body.base64 == nil, let text = body.text else { return nil }
        let first = text.utf8.first { $0 > 0x20 }
        guard first == UInt8(ascii: "{") || first == UInt8(ascii: "[") || first == UInt8(ascii: "\"") else { return nil }
        return try? parser.parse(text)
    }

    static func isForm(_ request: RequestTemplate) -> Bool {
        let type = (request.body?.contentType ?? request.header("Content-Type") ?? "").lowercased()
        return type.contains("x-www-form-urlencoded") && request.body?.text != nil
    }

    /// Every move, most promising first: the big structural cuts (body, nesting, runs of members)
    /// before single drops, and those before making values shorter.
    static func moves(of m: MutatedRequest) -> [Move] {
        let r = m.request
        var moves: [Move] = []
        if r.body != nil { moves.append(.dropBody) }
        let tree = json(r)
        if let tree { moves += bulkJSONMoves(tree) }
        moves += r.headers.indices.map { .dropHeader($0) }
        moves += r.query.indices.map { .dropQuery($0) }
        if let tree {
            moves += tree.nodePaths { _ in true }.filter { !$0.isEmpty }.map { .dropJSON($0) }
        } else if isForm(r), let text = r.body?.text {
            let count = FormOperators.fields(text).count
            if count > 0 { moves += (0..<count).map { .dropFormField($0) } }
        }
        if let tree { moves += valueJSONMoves(tree) }
        for (i, h) in r.headers.enumerated() { moves += cuts(of: h.value).map { .cutHeader(i, $0) } }
        for (i, q) in r.query.enumerated() { moves += cuts(of: q.value ?? "").map { .cutQuery(i, $0) } }
        if tree == nil, let body = r.body {
            let bytes = body.rawBytes
            let floor = Placeholders.ranges(in: bytes).last?.upperBound ?? 0
            moves += prefixLengths(count: bytes.count, floor: floor).map { .bodyPrefix($0) }
        }
        return moves
    }

    /// Depth bisection at the top of every single-child chain, then runs of members in halves,
    /// quarters, … (runs of at least 2; single members are `dropJSON`).
    static func bulkJSONMoves(_ tree: JSONValue) -> [Move] {
        var moves: [Move] = []
        for path in tree.nodePaths(where: { $0.isContainer }) {
            let chain = chainLength(tree.node(at: path[...]))
            let parentIsChain = !path.isEmpty && chainLength(tree.node(at: path.dropLast())) > 0
            if chain > 0 && !parentIsChain {
                var k = chain
                while k > 0 {
                    moves.append(.collapseJSON(path, k))
                    k /= 2
                }
            }
            let count = tree.node(at: path[...])?.childCount ?? 0
            var size = count / 2
            while size >= 2 {
                var start = 0
                while start < count {
                    moves.append(.dropJSONRange(path, start..<min(count, start + size)))
                    start += size
                }
                size /= 2
            }
        }
        return moves
    }

    /// Shorter strings, numbers nearer 0 or 1. Keys stay whole: they name what the request means.
    static func valueJSONMoves(_ tree: JSONValue) -> [Move] {
        var moves: [Move] = []
        for path in tree.nodePaths(where: { $0.stringValue != nil }) {
            guard case .string(let s)? = tree.node(at: path[...]) else { continue }
            moves += cuts(of: s).map { .cutJSONString(path, $0) }
        }
        for path in tree.nodePaths(where: { $0.doubleValue != nil }) {
            guard case .number(let n)? = tree.node(at: path[...]) else { continue }
            moves += simplerNumbers(n).map { .setJSONNumber(path, $0) }
        }
        return moves
    }

    /// How many single-child containers lead down from `node` to another container (0 for a leaf
    /// or a wide node): collapsing nesting never turns a container into a scalar.
    static func chainLength(_ node: JSONValue?) -> Int {
        var length = 0
        var current = node
        while let c = current, c.childCount == 1, let child = c.onlyChild, child.isContainer {
            length += 1
            current = child
        }
        return length
    }

    /// Shorter versions of a string: prefixes (never cutting into the last placeholder), and for
    /// strings without placeholders also suffixes and the string with a middle run removed.
    static func cuts(of s: String) -> [StringCut] {
        var out = lengths(of: s).map { StringCut.prefix($0) }
        guard !Placeholders.contains(s) else { return out }
        let n = s.unicodeScalars.count
        out += prefixLengths(count: n, floor: 0).filter { $0 > 0 }.map { .suffix($0) }
        var gap = n / 2
        while gap > 0, n >= 3 {
            let start = (n - gap) / 2
            if start > 0 && start + gap < n { out.append(.removing(start..<(start + gap))) }
            gap /= 2
        }
        return out
    }

    static func cut(_ s: String, _ cut: StringCut) -> String {
        let scalars = Array(s.unicodeScalars)
        var out = String.UnicodeScalarView()
        switch cut {
        case .prefix(let n): out.append(contentsOf: scalars.prefix(n))
        case .suffix(let n): out.append(contentsOf: scalars.suffix(n))
        case .removing(let range):
            guard range.upperBound <= scalars.count else { return s }
            out.append(contentsOf: scalars[..<range.lowerBound])
            out.append(contentsOf: scalars[range.upperBound...])
        }
        return String(out)
    }

    /// Shorter lengths, in unicode scalars, smallest first; never cutting into the last placeholder.
    static func lengths(of s: String) -> [Int] {
        let scalars = Array(s.unicodeScalars)
        var floor = 0
        if Placeholders.contains(s) {
            let bytes = Array(s.utf8)
            if let end = Placeholders.ranges(in: bytes).last?.upperBound {
                floor = String(decoding: bytes[..<end], as: UTF8.self).unicodeScalars.count
            }
        }
        return prefixLengths(count: scalars.count, floor: floor)
    }

    /// `floor`, then halfway, three quarters, … up to `count - 1`.
    static func prefixLengths(count: Int, floor: Int) -> [Int] {
        guard count > floor else { return [] }
        var result: [Int] = [floor]
        var gap = (count - floor) / 2
        while gap > 0 {
            let length = count - gap
            if length > (result.last ?? -1) { result.append(length) }
            gap /= 2
        }
        if result.last != count - 1 { result.append(count - 1) }
        return result
    }

    /// Number texts closer to 0: `0`, half, one step toward 0 (integers); `0` and the integer
    /// part (others).
    static func simplerNumbers(_ n: JSONNumber) -> [String] {
        if n.text == "0" { return [] }
        if n.text == "1" { return ["0"] }
        if n.isInteger, let v = Int(n.text) {
            var out = ["0", "1"]
            if v / 2 != 0 && v / 2 != v { out.append(String(v / 2)) }
            let step = v > 0 ? v - 1 : v + 1
            if step != 0 && !out.contains(String(step)) { out.append(String(step)) }
            return out
        }
        if n.isInteger {  // too big for Int: drop a digit
            return ["0", "1", String(n.text.dropLast())].filter { $0 != "-" && $0 != n.text }
        }
        var out = ["0", "1"]
        if n.value.isFinite, abs(n.value) < 9e15 {
            let truncated = String(Int64(n.value))
            if truncated != "0" { out.append(truncated) }
        }
        return out
    }

    static func apply(_ move: Move, to m: MutatedRequest) -> MutatedRequest? {
        var r = m.request
        switch move {
        case .dropBody:
            r.body = nil
        case .dropHeader(let i):
            guard i < r.headers.count else { return nil }
            r.headers.remove(at: i)
        case .dropQuery(let i):
            guard i < r.query.count else { return nil }
            r.query.remove(at: i)
        case .dropFormField(let i):
            guard var body = r.body, let text = body.text else { return nil }
            var fields = FormOperators.fields(text)
            guard i < fields.count else { return nil }
            fields.remove(at: i)
            body.text = FormOperators.join(fields)
            r.body = body
        case .cutHeader(let i, let c):
            guard i < r.headers.count else { return nil }
            r.headers[i].value = cut(r.headers[i].value, c)
        case .cutQuery(let i, let c):
            guard i < r.query.count else { return nil }
            r.query[i].value = cut(r.query[i].value ?? "", c)
        case .bodyPrefix(let length):
            guard let body = r.body else { return nil }
            r.body = BodyTemplate(bytes: Array(body.rawBytes.prefix(length)), contentType: body.contentType)
        default:
            guard var tree = json(r), applyJSON(move, to: &tree) else { return nil }
            r.body?.text = tree.serialized()
        }
        return MutatedRequest(request: r, dropCookies: m.dropCookies)
    }

    /// The JSON moves, on a parsed body; false when the move no longer applies.
    static func applyJSON(_ move: Move, to tree: inout JSONValue) -> Bool {
        switch move {
        case .dropJSON(let path):
            return tree.removeNode(at: path[...])
        case .dropJSONRange(let path, let range):
            return tree.modify(at: path[...]) { node -> Bool in node.removeChildren(range) } ?? false
        case .collapseJSON(let path, let levels):
            return tree.modify(at: path[...]) { node -> Bool in
                var current = node
                for _ in 0..<levels {
                    guard current.isContainer, current.childCount == 1, let child = current.onlyChild else { return false }
                    current = child
                }
                node = current
                return true
            } ?? false
        case .cutJSONString(let path, let c):
            return tree.modify(at: path[...]) { node -> Bool in
                guard case .string(let s) = node else { return false }
                node = .string(cut(s, c))
                return true
            } ?? false
        case .setJSONNumber(let path, let text):
            return tree.modify(at: path[...]) { $0 = .number(JSONNumber(text: text)) } != nil
        default:
            return false
        }
    }

    static func prefix(_ s: String, _ scalars: Int) -> String {
        var out = String.UnicodeScalarView()
        out.append(contentsOf: s.unicodeScalars.prefix(scalars))
        return String(out)
    }
}
