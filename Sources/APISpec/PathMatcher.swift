/// Finds the operation whose path template a concrete path is an instance of.
struct PathMatcher: Sendable {
    struct Entry: Sendable {
        var method: String
        /// Path segments; nil stands for a `{param}` segment.
        var segments: [String?]
        var literals: Int
        var index: Int
    }

    let entries: [String: [Entry]]

    init(operations: [SpecOperation]) {
        var entries: [String: [Entry]] = [:]
        for (i, op) in operations.enumerated() {
            let segments = Self.segments(op.path).map { s -> String? in s.hasPrefix("{") && s.hasSuffix("}") ? nil : s }
            entries[op.method, default: []].append(
                Entry(method: op.method, segments: segments, literals: segments.count(where: { $0 != nil }), index: i))
        }
        for key in entries.keys { entries[key]?.sort { $0.literals > $1.literals } }
        self.entries = entries
    }

    func match(method: String, path: String) -> Int? {
        var path = Substring(path)
        if let q = path.firstIndex(of: "?") { path = path[..<q] }
        let segments = Self.segments(String(path))
        for entry in entries[method.uppercased()] ?? [] where entry.segments.count == segments.count {
            let fits = zip(entry.segments, segments).allSatisfy { template, segment in
                template.map { $0 == segment } ?? !segment.isEmpty
            }
            if fits { return entry.index }
        }
        return nil
    }

    static func segments(_ path: String) -> [String] {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.first == "" { parts.removeFirst() }
        if parts.count > 1, parts.last == "" { parts.removeLast() }
        return parts
    }
}
