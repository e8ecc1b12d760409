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
        case shortenJSONString([Int], Int)
        case setJSONNumber([Int], String)
        case shortenHeader(Int, Int)
        case shortenQuery(Int, Int)
        case bodyPrefix(Int)
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

    static func moves(of m: MutatedRequest) -> [Move] {
        let r = m.request
        var moves: [Move] = []
        if r.body != nil { moves.append(.dropBody) }
        moves += r.headers.indices.map { .dropHeader($0) }
        moves += r.query.indices.map { .dropQuery($0) }
        let tree = json(r)
        if let tree {
            moves += tree.nodePaths { _ in true }.filter { !$0.isEmpty }.map { .dropJSON($0) }
        } else if isForm(r), let text = r.body?.text {
            let count = FormOperators.fields(text).count
            if count > 0 { moves += (0..<count).map { .dropFormField($0) } }
        }
        if let tree {
            for path in tree.nodePaths(where: { $0.stringValue != nil }) {
                guard case .string(let s)? = tree.node(at: path[...]) else { continue }
                moves += lengths(of: s).map { .shortenJSONString(path, $0) }
            }
            for path in tree.nodePaths(where: { $0.doubleValue != nil }) {
                guard case .number(let n)? = tree.node(at: path[...]) else { continue }
                moves += simplerNumbers(n).map { .setJSONNumber(path, $0) }
            }
        }
        for (i, h) in r.headers.enumerated() { moves += lengths(of: h.value).map { .shortenHeader(i, $0) } }
        for (i, q) in r.query.enumerated() { moves += lengths(of: q.value ?? "").map { .shortenQuery(i, $0) } }
        if tree == nil, let body = r.body {
            let bytes = body.rawBytes
            let floor = Placeholders.ranges(in: bytes).last?.upperBound ?? 0
            moves += prefixLengths(count: bytes.count, floor: floor).map { .bodyPrefix($0) }
        }
        return moves
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
        if n.isInteger, let v = Int(n.text) {
            var out = ["0"]
            if v / 2 != 0 && v / 2 != v { out.append(String(v / 2)) }
            let step = v > 0 ? v - 1 : v + 1
            if step != 0 && !out.contains(String(step)) { out.append(String(step)) }
            return out
        }
        if n.isInteger {  // too big for Int: drop a digit
            return ["0", String(n.text.dropLast())].filter { $0 != "-" && $0 != n.text }
        }
        var out = ["0"]
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
        case .dropJSON(let path):
            guard var tree = json(r), tree.removeNode(at: path[...]) else { return nil }
            r.body?.text = tree.serialized()
        case .shortenJSONString(let path, let length):
            guard var tree = json(r) else { return nil }
            let done: Bool? = tree.modify(at: path[...]) { node -> Bool in
                guard case .string(let s) = node else { return false }
                node = .string(prefix(s, length))
                return true
            }
            guard done == true else { return nil }
            r.body?.text = tree.serialized()
        case .setJSONNumber(let path, let text):
            guard var tree = json(r) else { return nil }
            guard tree.modify(at: path[...], { $0 = .number(JSONNumber(text: text)) }) != nil else { return nil }
            r.body?.text = tree.serialized()
        case .shortenHeader(let i, let length):
            guard i < r.headers.count else { return nil }
            r.headers[i].value = prefix(r.headers[i].value, length)
        case .shortenQuery(let i, let length):
            guard i < r.query.count else { return nil }
            r.query[i].value = prefix(r.query[i].value ?? "", length)
        case .bodyPrefix(let length):
            guard let body = r.body else { return nil }
            r.body = BodyTemplate(bytes: Array(body.rawBytes.prefix(length)), contentType: body.contentType)
        }
        return MutatedRequest(request: r, dropCookies: m.dropCookies)
    }

    static func prefix(_ s: String, _ scalars: Int) -> String {
        var out = String.UnicodeScalarView()
        out.append(contentsOf: s.unicodeScalars.prefix(scalars))
        return String(out)
    }
}
