import StampedeCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where monkeys may send requests, by path (`--monkey-scope`).
///
/// A mutated path is normalised first — `%2e`/`%2f`/`%5c` decoded (twice-encoded too),
/// backslashes as slashes, `;params` cut from segments, empty and `.` segments dropped, `..`
/// applied — so dot-segment or encoded traversal is judged by where it lands.
public enum MonkeyScope: String, Sendable, Hashable, CaseIterable {
    /// Only paths that match a recorded endpoint template (`/scripts/{id}` matches any id).
    case recorded
    /// Paths under the longest common path prefix of the recording (segment-wise); the prefix
    /// itself only when the recording requested it.
    case prefix
    /// Anything, traversal included.
    case any
}

/// A `MonkeyScope` applied to one recording.
struct PathScope: Sendable {
    let scope: MonkeyScope
    /// The recording's longest common prefix, as normalised segments.
    let prefix: [Substring]
    /// Whether a recorded path is exactly the prefix.
    let prefixRecorded: Bool
    /// Recorded path templates as segments; nil marks a segment any value matches.
    let templates: [[Substring?]]
    /// Whether the prefix and every template segment are ASCII, so a segment of an ASCII path
    /// equals one exactly when their bytes do (`asciiVerdict`).
    let asciiRecording: Bool

    init(scope: MonkeyScope, sessions: [Session]) {
        self.scope = scope
        var paths: [[Substring]] = []
        var templates: Set<[Substring?]> = []
        for step in sessions.flatMap(\.steps) {
            paths.append(Self.normalized(step.request.path).segments)
            let template = step.endpoint.flatMap { $0.split(separator: " ", maxSplits: 1).last.map(String.init) } ?? step.request.path
            templates.insert(Self.normalized(template).segments.map { Self.isPlaceholder($0) ? nil : $0 })
        }
        var prefix = paths.first ?? []
        for path in paths.dropFirst() {
            let common = zip(prefix, path).prefix { $0 == $1 }.count
            prefix = Array(prefix.prefix(common))
        }
        self.prefix = prefix
        prefixRecorded = paths.contains { $0 == prefix }
        self.templates = Array(templates)
        asciiRecording = (prefix + templates.joined().compactMap { $0 }).allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } }
    }

    /// Whether a (template) path may be sent.
    func contains(_ path: String) -> Bool {
        if scope == .any { return true }
        // The hot path: a plain path (most mutants, and overlong segments of 16 KiB) is judged on its bytes.
        if scope == .prefix, let verdict = path.utf8.withContiguousStorageIfAvailable({ plainPrefixVerdict($0) }) ?? nil {
            return verdict
        }
        // Any other ASCII path (dot segments, escapes, `;params`): the same judgement on bytes.
        var text = path
        if let verdict = text.withUTF8({ asciiVerdict($0) }) { return verdict }
        let (segments, escaped) = Self.normalized(path)
        if escaped { return false }
        switch scope {
        case .any: return true
        case .prefix:
            return segments.starts(with: prefix) && (segments.count > prefix.count || prefixRecorded)
        case .recorded:
            return templates.contains { template in
                template.count == segments.count
                    && zip(template, segments).allSatisfy { t, s in t == nil || t == s || Self.isPlaceholder(s) }
            }
        }
    }

    /// The `.prefix` verdict on a plain path — no `%`, `\\`, `;`, `?`, `#`, and no segment starting with `.` —
    /// whose segments are its `/`-separated non-empty parts as they stand; nil for any other path.
    /// Scans with `memchr` (an overlong segment is up to 16 KiB, and the path is judged after every path operation).
    func plainPrefixVerdict(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard let base = bytes.baseAddress else { return prefix.isEmpty && prefixRecorded }
        let count = bytes.count
        func has(_ byte: UInt8) -> Bool { memchr(base, Int32(byte), count) != nil }
        if has(UInt8(ascii: "%")) || has(UInt8(ascii: "\\")) || has(UInt8(ascii: ";")) || has(UInt8(ascii: "?")) || has(UInt8(ascii: "#")) {
            return nil
        }
        // A dot that starts a segment (`.`, `..`, `.hidden`): the normalising judgement decides.
        var from = 0
        while from < count, let dot = memchr(base + from, Int32(UInt8(ascii: ".")), count - from) {
            let at = base.distance(to: dot.assumingMemoryBound(to: UInt8.self))
            if at == 0 || bytes[at - 1] == UInt8(ascii: "/") { return nil }
            from = at + 1
        }
        var matched = 0
        var start = 0
        while start <= count {
            let end = memchr(base + start, Int32(UInt8(ascii: "/")), count - start)
                .map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? count
            defer { start = end + 1 }
            guard end > start else { continue }
            guard matched < prefix.count else { return true }
            guard Self.sameBytes(prefix[matched], bytes[start..<end]) else { return false }
            matched += 1
        }
        return matched == prefix.count && prefixRecorded
    }

    /// `contains` of an ASCII path, judged on its bytes as `normalized` and the matching below judge it
    /// on characters (for ASCII text they agree); nil for a path with other bytes or a recording with
    /// non-ASCII segments (canonical equivalence could then make bytes and characters disagree).
    func asciiVerdict(_ path: UnsafeBufferPointer<UInt8>) -> Bool? {
        if scope == .any { return true }
        guard asciiRecording, path.allSatisfy({ $0 < 0x80 }) else { return nil }
        let end = path.firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? path.count
        var bytes = Array(path[..<end])
        for _ in 0..<3 where bytes.contains(UInt8(ascii: "%")) {
            let decoded = Self.decodeTraversal(bytes)
            if decoded == bytes { break }
            bytes = decoded
        }
        guard let segments = Self.asciiSegments(bytes) else { return false }
        func equal(_ recorded: Substring, _ segment: Range<Int>) -> Bool { recorded.utf8.elementsEqual(bytes[segment]) }
        switch scope {
        case .any: return true
        case .prefix:
            return segments.count >= prefix.count && zip(prefix, segments).allSatisfy(equal)
                && (segments.count > prefix.count || prefixRecorded)
        case .recorded:
            return templates.contains { template in
                template.count == segments.count
                    && zip(template, segments).allSatisfy { t, s in
                        guard let t else { return true }
                        return equal(t, s) || (bytes[s].first == UInt8(ascii: "{") && bytes[s].last == UInt8(ascii: "}"))
                    }
            }
        }
    }

    /// `normalized(_:).segments` of ASCII bytes as ranges into them; nil when `..` climbs above the root.
    static func asciiSegments(_ bytes: [UInt8]) -> [Range<Int>]? {
        var segments: [Range<Int>] = []
        var start = 0
        for end in 0...bytes.count where end == bytes.count || bytes[end] == UInt8(ascii: "/") || bytes[end] == UInt8(ascii: "\\") {
            defer { start = end + 1 }
            guard end > start else { continue }
            let segment = start..<(bytes[start..<end].firstIndex(of: UInt8(ascii: ";")) ?? end)
            let dots = bytes[segment].allSatisfy { $0 == UInt8(ascii: ".") } ? segment.count : 0
            if segment.isEmpty || dots == 1 { continue }
            if dots == 2 {
                guard segments.popLast() != nil else { return nil }
                continue
            }
            segments.append(segment)
        }
        return segments
    }

    /// `segment.utf8.elementsEqual(bytes)`, compared as two buffers (the generic zip was a hot spot).
    static func sameBytes(_ segment: Substring, _ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard segment.utf8.count == bytes.count else { return false }
        let compared = segment.utf8.withContiguousStorageIfAvailable { own in
            for j in 0..<own.count where own[j] != bytes[bytes.startIndex + j] { return false }
            return true
        }
        return compared ?? segment.utf8.elementsEqual(bytes)
    }

    /// `{id}` (an endpoint template's) or `{{name}}` (a corpus template's).
    static func isPlaceholder(_ segment: Substring) -> Bool {
        segment.hasPrefix("{") && segment.hasSuffix("}")
    }

    /// The segments a server resolves a path to, and whether `..` climbed above the root.
    static func normalized(_ path: String) -> (segments: [Substring], escaped: Bool) {
        var text = path
        if let query = text.firstIndex(where: { $0 == "?" || $0 == "#" }) { text = String(text[..<query]) }
        for _ in 0..<3 where text.contains("%") {
            let decoded = decodeTraversal(text)
            if decoded == text { break }
            text = decoded
        }
        var segments: [Substring] = []
        var escaped = false
        for raw in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "/" || $0 == "\\" }) {
            let segment = raw.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? raw
            if segment == "." || segment.isEmpty { continue }
            if segment == ".." {
                if segments.popLast() == nil { escaped = true }
                continue
            }
            segments.append(segment)
        }
        return (segments, escaped)
    }

    /// Decodes the escapes that matter for where a path lands: `%2f` `/`, `%5c` `\`, `%25` `%`
    /// and every unreserved character (`%2e` `.`, `%61` `a`: the same path to a correct server).
    static func decodeTraversal(_ text: String) -> String {
        String(decoding: decodeTraversal(Array(text.utf8)), as: UTF8.self)
    }

    static func decodeTraversal(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count {
                if let replacement = escaped(bytes[i + 1], bytes[i + 2]) {
                    out.append(replacement)
                    i += 3
                    continue
                }
            }
            out.append(bytes[i])
            i += 1
        }
        return out
    }

    /// The byte `%XY` stands for, when decoding it cannot change a path's meaning.
    static func escaped(_ x: UInt8, _ y: UInt8) -> UInt8? {
        guard let high = hexValue(x), let low = hexValue(y) else { return nil }
        let byte = high << 4 | low
        let unreserved = (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
        return unreserved || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "%") ? byte : nil
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
