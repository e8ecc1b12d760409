import Foundation
public import StampedeCore
public import StampedeEngine
import StampedeHTTP

/// Turns a corpus request template into an engine request for one client: variables rendered,
/// the API prefix rewritten, cookies from the client's jar, the CSRF header on writes.
///
/// Variable lookup order: built-ins (`vu.*`, `run.id`, `random.*`, `now.*`, `cookie.NAME`), then
/// the client's extracted variables. Unknown names stay as `{{name}}` so the miss is visible.
/// Substituted values are encoded for where they land: percent-encoded in the path and query
/// and in form bodies, JSON-escaped in JSON bodies, verbatim in headers.
public struct RequestRenderer: Sendable {
    /// Corpus paths are recorded with this prefix (the original's `LOAD_API_PREFIX` default).
    public static let recordedPrefix = "/api/v1"
    /// Headers the engine or the jar own; a recorded value would be stale or wrong.
    static let managedHeaders: Set<String> = ["cookie", "content-length", "host", "transfer-encoding", "connection"]

    public var baseURL: String
    public var apiPrefix: String
    public var runID: String
    public var csrf: CSRFPolicy
    public var requestTimeoutMs: Int

    public init(baseURL: String, apiPrefix: String = RequestRenderer.recordedPrefix, runID: String, csrf: CSRFPolicy = CSRFPolicy(), requestTimeoutMs: Int) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiPrefix = apiPrefix
        self.runID = runID
        self.csrf = csrf
        self.requestTimeoutMs = requestTimeoutMs
    }

    /// Rewrites a recorded `/api/v1/…` path to the configured prefix (a whole-segment match).
    public func rewrite(path: String) -> String {
        let recorded = Self.recordedPrefix
        guard apiPrefix != recorded, path.hasPrefix(recorded) else { return path }
        let rest = path.dropFirst(recorded.count)
        guard rest.isEmpty || rest.hasPrefix("/") || rest.hasPrefix("?") else { return path }
        return apiPrefix + rest
    }

    /// Renders a template for a client.
    ///
    /// - Parameters:
    ///   - variables: the client's extracted variables.
    ///   - sendCookies: false for mutants that drop the session on purpose.
    /// - Returns: the engine request and the rendered template (for findings and curl).
    public func render(
        _ template: RequestTemplate,
        identity: ClientIdentity,
        variables: [String: String],
        jar: CookieJar,
        rng: inout SeededGenerator,
        sendCookies: Bool = true
    ) -> (request: HTTPRequest, rendered: RequestTemplate) {
        var rendered = template
        func value(_ name: Substring) -> String? {
            lookup(name, identity: identity, variables: variables, jar: jar, rng: &rng)
        }
        rendered.path = rewrite(path: Template.render(template.path) { name in value(name).map { PercentEncoding.encode($0) } })
        rendered.query = template.query.map { item in
            QueryItem(Template.render(item.name) { value($0) }, item.value.map { Template.render($0) { value($0) } })
        }
        rendered.headers = template.headers.compactMap { header in
            if Self.isManaged(header.name) { return nil }
            return HTTPHeader(header.name, Template.render(header.value) { value($0) })
        }
        if var body = template.body, let text = body.text {
            let type = (body.contentType ?? template.header("content-type") ?? "").lowercased()
            body.text = Template.render(text) { name in
                guard let v = value(name) else { return nil }
                if type.contains("json") { return JSONValue.escapedStringContent(v) }
                if type.contains("x-www-form-urlencoded") { return PercentEncoding.encode(v) }
                return v
            }
            rendered.body = body
        }
        let url = baseURL + Self.sendable(rendered.path) + (rendered.query.isEmpty ? "" : "?" + QueryItem.encode(rendered.query))
        var headers = rendered.headers
        if sendCookies, !jar.isEmpty, let cookie = jar.cookieHeader(for: url) {
            headers.append(HTTPHeader("Cookie", cookie))
        }
        if sendCookies, !jar.isEmpty, Self.isWrite(rendered.method),
            !headers.contains(where: { $0.name.lowercased() == csrf.headerName.lowercased() }),
            let header = csrf.header(from: jar)
        {
            headers.append(header)
        }
        rendered.headers = headers
        let request = HTTPRequest(
            method: rendered.method, url: url, headers: headers, body: rendered.body?.rawBytes ?? [],
            timeoutMs: requestTimeoutMs)
        return (request, rendered)
    }

    /// Whether a header is one the engine or the jar own (ASCII case-insensitive, no allocation).
    static func isManaged(_ name: String) -> Bool {
        let n = name.utf8.count
        guard n == 4 || n == 6 || n == 10 || n == 14 || n == 17 else { return false }
        return managedHeaders.contains { candidate in
            candidate.utf8.count == n && zip(candidate.utf8, name.utf8).allSatisfy { $0 == ($1 | 0x20) || $0 == $1 }
        }
    }

    /// Percent-encodes the bytes libcurl refuses in a URL path (space, controls, non-ASCII,
    /// `"<>\\^`{|}` and `#`), leaving everything else — `%`, `..`, `;` — exactly as the mutant has it.
    public static func sendable(_ path: String) -> String {
        let utf8 = path.utf8
        guard utf8.contains(where: needsEncoding) else { return path }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count + 16)
        let hex = Array("0123456789ABCDEF".utf8)
        for b in utf8 {
            if needsEncoding(b) {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func needsEncoding(_ b: UInt8) -> Bool {
        switch b {
        case 0...0x20, 0x7F...0xFF: true
        case UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\\"), UInt8(ascii: "^"),
            UInt8(ascii: "`"), UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "#"):
            true
        default: false
        }
    }

    /// Methods that change state and so carry the CSRF header (double-submit cookie).
    public static func isWrite(_ method: String) -> Bool {
        // The common exact tokens first: no allocation on the hot path.
        switch method {
        case "GET", "HEAD", "OPTIONS", "TRACE": return false
        case "POST", "PUT", "PATCH", "DELETE": return true
        default: break
        }
        return switch method.uppercased() {
        case "GET", "HEAD", "OPTIONS", "TRACE": false
        default: true
        }
    }

    func lookup(_ name: Substring, identity: ClientIdentity, variables: [String: String], jar: CookieJar, rng: inout SeededGenerator) -> String? {
        BuiltinVariables.value(of: name, identity: identity, cookie: { jar.value(named: $0) }, random: &rng)
            ?? variables[String(name)]
    }
}
