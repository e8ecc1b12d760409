import StampedeCore

/// Shrinking moves on the request line (cookies, method, path), relative to the recorded parent.
///
/// They pull a failing mutant back toward its parent: send cookies again, use the parent's
/// method or the simplest one (`GET`), restore the recorded path or one of its segments, drop a
/// path segment, shorten a segment, move a numeric query value toward 0 or 1. A failure that survives them is described by the fewest
/// differences from the recording, which is what lets two mutants of different parents that hit
/// the same bug end up as the same minimal request.
enum ShrinkerRequestMoves {
    /// Candidates one move away from `m`, most promising first.
    static func candidates(of m: MutatedRequest, reference: RequestTemplate) -> [MutatedRequest] {
        var out: [MutatedRequest] = []
        func add(_ change: (inout RequestTemplate) -> Void, dropCookies: Bool? = nil) {
            var r = m.request
            change(&r)
            let candidate = MutatedRequest(request: r, dropCookies: dropCookies ?? m.dropCookies)
            if candidate != m && !out.contains(candidate) { out.append(candidate) }
        }
        if m.dropCookies { add({ _ in }, dropCookies: false) }
        // Methods only ever get simpler (any → the recorded one → GET), or two moves would undo
        // each other forever.
        let simpler: [String] =
            switch m.request.method {
            case "GET": []
            case reference.method: ["GET"]
            default: [reference.method, "GET"]
            }
        for method in simpler { add { $0.method = method } }
        let current = segments(m.request.path)
        let recorded = segments(reference.path)
        // Segments the recording has are unlikely to be the trigger: only the others are dropped
        // or shortened, which keeps the probes for the part that was mutated.
        let fixed = Set(recorded)
        if m.request.path != reference.path { add { $0.path = reference.path } }
        if current.count == recorded.count {
            for i in current.indices where current[i] != recorded[i] {
                var parts = current
                parts[i] = recorded[i]
                add { $0.path = join(parts) }
            }
        }
        if current.count > 1 {
            // Empty segments (`//`, a trailing slash) first: they are the likeliest to be noise.
            let order = current.indices.filter { current[$0].isEmpty }
                + current.indices.filter { !current[$0].isEmpty && !fixed.contains(current[$0]) }
            for i in order {
                var parts = current
                parts.remove(at: i)
                add { $0.path = join(parts) }
            }
        }
        for i in current.indices where !fixed.contains(current[i]) {
            for length in StructuralMoves.lengths(of: current[i]) {
                var parts = current
                parts[i] = StructuralMoves.prefix(current[i], length)
                add { $0.path = join(parts) }
            }
        }
        // Numeric query values move toward 0, as JSON numbers do (`limit=-2147483648` → `-1`).
        for (i, item) in m.request.query.enumerated() {
            guard let value = item.value, isNumber(value) else { continue }
            for simpler in simplerNumbers(value) where simpler != value {
                add { $0.query[i].value = simpler }
            }
        }
        return out
    }

    /// Values closer to 0, smallest first: `0`, then `v/2`, `3v/4`, … `v∓1` (a binary search
    /// toward the boundary, so `limit=1953` reaches `1001` in a few dozen probes, not a thousand);
    /// non-integers try `0` and their integer part.
    static func simplerNumbers(_ text: String) -> [String] {
        guard let v = Int(text) else { return StructuralMoves.simplerNumbers(JSONNumber(text: text)) }
        guard v != 0 else { return text == "0" ? [] : ["0"] }
        var out = v == 1 ? ["0"] : ["0", "1"]
        var gap = v / 2
        while gap != 0 {
            let candidate = String(v - gap)
            if !out.contains(candidate) { out.append(candidate) }
            gap /= 2
        }
        let step = String(v > 0 ? v - 1 : v + 1)
        if !out.contains(step) { out.append(step) }
        return out
    }

    /// A plain decimal number (`-12`, `3.5`, `1e3`), not a placeholder or a word.
    static func isNumber(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }), Double(s) != nil else { return false }
        return s.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2B || $0 == 0x2E || $0 | 0x20 == 0x65 }
    }

    static func segments(_ path: String) -> [String] {
        var rest = Substring(path)
        if rest.first == "/" { rest = rest.dropFirst() }
        return rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    }

    static func join(_ segments: [String]) -> String { "/" + segments.joined(separator: "/") }
}
