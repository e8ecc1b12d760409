/// Keys metrics by endpoint template (`GET /api/v1/scripts/{id}`), never by raw URL.
public enum EndpointTemplate {
    /// `METHOD /path/{id}` for a method and a path (the query is dropped).
    public static func key(method: String, path: some StringProtocol) -> String {
        method + " " + normalize(path: path)
    }

    /// Replaces path segments that look like identifiers with `{id}`; `{{var}}` segments too.
    ///
    /// Identifiers: all digits, UUIDs, hex strings of 8+ characters, and tokens of 16+
    /// characters mixing letters and digits.
    public static func normalize(path: some StringProtocol) -> String {
        var path = Substring(path)
        if let q = path.firstIndex(of: "?") { path = path[..<q] }
        if path.isEmpty { return "/" }
        var out = ""
        out.reserveCapacity(path.utf8.count)
        var first = true
        for segment in path.split(separator: "/", omittingEmptySubsequences: false) {
            if !first { out += "/" }
            first = false
            out += isIdentifier(segment) ? "{id}" : segment
        }
        return out
    }

    /// Whether a single path segment is an identifier rather than a fixed word.
    public static func isIdentifier(_ segment: Substring) -> Bool {
        var text = segment
        return text.withUTF8 { isIdentifier(utf8: $0) }
    }

    /// `isIdentifier(_:)` of a segment given as its UTF-8 bytes (a contiguous buffer: the mutator
    /// judges every segment of every path it changes).
    package static func isIdentifier(utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = utf8.first, let last = utf8.last else { return false }
        if first == UInt8(ascii: "{"), last == UInt8(ascii: "}") { return isPlaceholder(utf8: utf8) }
        var digits = 0, hex = 0, letters = 0, dashes = 0, other = 0
        for b in utf8 {
            switch b {
            case 0x30...0x39: digits += 1; hex += 1
            case 0x41...0x46, 0x61...0x66: hex += 1; letters += 1
            case 0x47...0x5A, 0x67...0x7A: letters += 1
            case 0x2D: dashes += 1
            case 0x5F: other += 1
            default: return false
            }
        }
        let count = utf8.count
        if digits == count { return true }
        if count == 36 && dashes == 4 && hex == 32 { return true }  // UUID
        if hex == count && count >= 8 && digits > 0 { return true }
        if count >= 16 && digits > 0 && letters > 0 { return true }
        return false
    }

    /// Whether a `{` … `}` segment is a `{{name}}` placeholder: `hasPrefix("{{") && hasSuffix("}}")`
    /// on its characters. Bytes decide when the bytes inside the braces are ASCII; otherwise a
    /// combining mark after `{{` or a prepended one before `}}` could join a brace into another
    /// character, and the characters decide.
    static func isPlaceholder(utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = utf8.count
        guard n >= 4, utf8[0] == UInt8(ascii: "{"), utf8[1] == UInt8(ascii: "{"), utf8[n - 2] == UInt8(ascii: "}"),
            utf8[n - 1] == UInt8(ascii: "}")
        else { return false }
        if utf8[2] < 0x80 && utf8[n - 3] < 0x80 { return true }
        let text = String(decoding: utf8, as: UTF8.self)
        return text.hasPrefix("{{") && text.hasSuffix("}}")
    }
}

/// The one rewrite of a recorded `/api/v1` path prefix to the configured one (`LOAD_API_PREFIX`).
package enum APIPrefix {
    /// The prefix corpora are recorded with (the original's `LOAD_API_PREFIX` default).
    package static let recorded = "/api/v1"

    /// `path` with a leading whole-segment `/api/v1` replaced by `prefix`.
    package static func rewrite(_ path: String, to prefix: String) -> String {
        guard prefix != recorded, path.hasPrefix(recorded) else { return path }
        let rest = path.dropFirst(recorded.count)
        guard rest.isEmpty || rest.hasPrefix("/") || rest.hasPrefix("?") else { return path }
        return prefix + rest
    }
}
