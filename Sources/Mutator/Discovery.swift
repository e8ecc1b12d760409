import StampedeCore
public import StampedeHTTP

/// A response as the mutator learns from it: what `Mutator.learn(from:)` reads.
public struct ObservedResponse: Sendable {
    /// HTTP status (0 for a transport failure).
    public var status: Int
    /// Response headers (`Location`, `Content-Location`, `Link`, `ETag` are read).
    public var headers: [HTTPHeader]
    /// The body, or a prefix of it.
    public var body: [UInt8]

    /// Wraps what the replayer received.
    public init(status: Int, headers: [HTTPHeader], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Per-run discovery: values and paths learned from responses, and the well-known paths still to
/// try. Kept behind the mutator's mutex; every path is handed out at most once per run.
struct DiscoveryState {
    /// Values (ids, ETags, enum-like strings, `Location`s) for `learned.value`, oldest first.
    var values: [String] = []
    var valueSet: Set<String> = []
    /// Paths learned from responses, waiting to be sent as GET targets.
    var links: [String] = []
    /// Well-known paths (relative to each recorded prefix), waiting.
    var wellKnown: [String]
    /// Shapes (``DiscoveryState/shape(of:)``) of the paths handed out: a link to an endpoint already tried
    /// under another ID is not tried again, so a long run that creates resources does not grow this set.
    var handedOut: Set<String> = []

    static let maximumValues = 256

    init(wellKnown: [String]) {
        self.wellKnown = wellKnown
    }

    mutating func add(value: String) {
        guard valueSet.count < 4 * DiscoveryState.maximumValues, valueSet.insert(value).inserted else { return }
        values.append(value)
        if values.count > DiscoveryState.maximumValues {
            valueSet.remove(values.removeFirst())
        }
    }

    mutating func add(link: String) {
        guard links.count < 1_024, !handedOut.contains(Self.shape(of: link)), !links.contains(link) else { return }
        links.append(link)
    }

    /// The next target to try (links before well-known paths), or nil.
    mutating func nextTarget() -> (path: String, isLink: Bool)? {
        while let link = links.first {
            links.removeFirst()
            if handedOut.insert(Self.shape(of: link)).inserted { return (link, true) }
        }
        while let path = wellKnown.first {
            wellKnown.removeFirst()
            if handedOut.insert(Self.shape(of: path)).inserted { return (path, false) }
        }
        return nil
    }

    /// A path with its identifier-like segments as `{id}` (`/scripts/3f2a…/runs` → `/scripts/{id}/runs`).
    static func shape(of path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { EndpointTemplate.isIdentifier($0) ? "{id}" : String($0) }.joined(separator: "/")
    }
}

/// What responses reveal: paths to try and values to reuse. Pure functions; the state is the mutator's.
enum Discovery {
    /// Appended to each recorded path prefix (and the root), each tried once per run.
    static let wellKnownNames: [String] = [
        "version", "__version__", "health", "metrics", "openapi.json", "swagger.json", "status", "info", "admin", "debug",
        ".well-known/security.txt", ".well-known/openid-configuration", "env", "docs",
    ]

    /// Keys whose string values are links.
    static let linkKeys: Set<String> = ["href", "url", "uri", "link", "location", "next", "prev", "previous", "self", "path"]

    /// Keys whose values are never reused: they may be credentials.
    static func isSecretKey(_ key: String) -> Bool {
        let k = key.lowercased()
        return ["token", "secret", "password", "passwd", "key", "session", "csrf", "auth", "cookie"].contains { k.contains($0) }
    }

    /// Directory prefixes of the recorded paths (`/api/v1/scripts/{{id}}` → `/api`, `/api/v1`,
    /// `/api/v1/scripts`), plus the root, in order of first appearance; templated segments end a prefix.
    static func prefixes(of paths: [String]) -> [String] {
        var out: [String] = [""]
        var seen: Set<String> = [""]
        for path in paths {
            let segments = PathOperators.segments(path)
            var prefix = ""
            for segment in segments.dropLast() {
                guard !segment.isEmpty, !segment.contains("{{") else { break }
                prefix += "/" + segment
                if seen.insert(prefix).inserted { out.append(prefix) }
            }
        }
        return out
    }

    /// Every well-known path under every prefix, shallow names first so each prefix gets its
    /// likeliest names early.
    static func wellKnownPaths(prefixes: [String]) -> [String] {
        wellKnownNames.flatMap { name in prefixes.map { $0 + "/" + name } }
    }

    /// The first path segments of the recorded paths: a discovered path must start with one.
    static func scopeRoots(of paths: [String]) -> Set<String> {
        Set(paths.compactMap { path in
            let first = PathOperators.segments(path).first ?? ""
            return first.isEmpty || first.contains("{{") ? nil : first
        })
    }

    /// A path from a link value: relative paths only (`/x/y`, query and fragment dropped), short,
    /// without spaces, controls or `{{`.
    static func linkPath(_ text: String) -> String? {
        let bytes = text.utf8
        guard bytes.count > 1, bytes.count <= 256, bytes.first == UInt8(ascii: "/"),
            !text.hasPrefix("//"), !text.contains("{{"), !bytes.contains(where: { $0 <= 0x20 || $0 == 0x7F })
        else { return nil }
        let end = text.firstIndex { $0 == "?" || $0 == "#" } ?? text.endIndex
        return String(text[..<end])
    }

    /// Links and reusable values found in a response.
    static func harvest(_ response: ObservedResponse) -> (links: [String], values: [String]) {
        var links: [String] = []
        var values: [String] = []
        for header in response.headers {
            if HTTPHeader.namesEqual(header.name, "Location") || HTTPHeader.namesEqual(header.name, "Content-Location") {
                if let path = linkPath(header.value) { links.append(path) }
            } else if HTTPHeader.namesEqual(header.name, "Link") {
                for part in header.value.split(separator: ",") {
                    guard let open = part.firstIndex(of: "<"), let close = part.firstIndex(of: ">"), open < close else { continue }
                    if let path = linkPath(String(part[part.index(after: open)..<close])) { links.append(path) }
                }
            } else if HTTPHeader.namesEqual(header.name, "ETag"), header.value.utf8.count <= 128 {
                values.append(header.value)
            }
        }
        guard response.body.count <= 65_536, let first = response.body.first(where: { $0 > 0x20 }),
            first == UInt8(ascii: "{") || first == UInt8(ascii: "["),
            let json = try? JSONParser(maximumDepth: 32).parse(response.body)
        else { return (links, values) }
        walk(json, key: "", parentKey: "", links: &links, values: &values)
        return (links, values)
    }

    static func walk(_ value: JSONValue, key: String, parentKey: String, links: inout [String], values: inout [String]) {
        switch value {
        case .object(let members):
            for member in members where !isSecretKey(member.key) {
                walk(member.value, key: member.key, parentKey: key, links: &links, values: &values)
            }
        case .array(let items):
            for item in items.prefix(32) { walk(item, key: key, parentKey: parentKey, links: &links, values: &values) }
        case .string(let s):
            let k = key.lowercased()
            if linkKeys.contains(k) || parentKey.lowercased().hasSuffix("links"), let path = linkPath(s) {
                links.append(path)
            } else if isReusable(key: k, s) {
                values.append(s)
            }
        case .number(let n):
            if key.lowercased() == "id" || key.lowercased().hasSuffix("_id") { values.append(n.text) }
        default:
            break
        }
    }

    /// Ids and short enum-like words are worth reusing; free text is not.
    static func isReusable(key: String, _ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 64 else { return false }
        if key == "id" || key.hasSuffix("_id") || key.hasSuffix("id") || key == "etag" { return true }
        return s.utf8.count <= 24 && s.utf8.allSatisfy { b in
            (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || (b >= 0x30 && b <= 0x39)
        }
    }
}
