internal import CCurl
internal import StampedeHTTP

/// The engine's last check before a transfer starts: the URL goes to the allowed origin (as
/// libcurl itself parses it) and the method and headers cannot add lines to the request.
///
/// A refused request is never handed to libcurl; its response carries a local failure whose
/// message starts with ``RequestGuard/refusalPrefix`` (see ``TransportFailure/isRefused``).
struct RequestGuard: Sendable {
    /// Scheme, host and port of a URL, as libcurl's URL API reports them (port defaulted).
    struct Origin: Sendable, Equatable, CustomStringConvertible {
        var scheme: String
        var host: String
        var port: String
        var hasUserInfo: Bool

        var description: String { "\(scheme)://\(host):\(port)" }
    }

    static let refusalPrefix = "refused, not sent: "

    /// Nil allows any origin.
    let origin: Origin?
    /// `scheme://authority` of the allowed origin exactly as configured (no user information): a URL
    /// that starts with it and then `/`, `?` or ends has that origin whatever follows, so the hot path
    /// skips libcurl's parse (five allocations per request). Nil when the origin is not that plain.
    let verbatimOrigin: [UInt8]?

    /// - Throws: `EngineError` when `allowedOrigin` is set but libcurl cannot parse it.
    init(allowedOrigin: String?) throws(EngineError) {
        guard let allowedOrigin else {
            origin = nil
            verbatimOrigin = nil
            return
        }
        guard let parsed = Self.origin(of: allowedOrigin) else {
            throw EngineError(
                call: "curl_url_set", code: Int(CURLE_URL_MALFORMAT.rawValue), name: "CURLE_URL_MALFORMAT",
                message: "the allowed origin \(allowedOrigin.abbreviated(limit: 80).debugDescription) is not a URL")
        }
        origin = parsed
        verbatimOrigin = parsed.hasUserInfo ? nil : Self.schemeAndAuthority(allowedOrigin)
    }

    /// `scheme://authority` of a URL (up to the first `/`, `?` or `#` after `://`), when it holds no
    /// `@`, `\\` or `%` (nothing libcurl reads in more than one way).
    static func schemeAndAuthority(_ url: String) -> [UInt8]? {
        let bytes = Array(url.utf8)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), bytes[colon...].starts(with: "://".utf8) else { return nil }
        let authorityStart = colon + 3
        let end = bytes[authorityStart...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.count
        let authority = bytes[authorityStart..<end]
        guard !authority.isEmpty, !authority.contains(where: { $0 == UInt8(ascii: "@") || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "%") || $0 <= 0x20 })
        else { return nil }
        return Array(bytes[..<end])
    }

    /// Whether `url` is the verbatim origin followed by nothing, a path or a query.
    func startsWithVerbatimOrigin(_ url: String) -> Bool {
        guard let prefix = verbatimOrigin else { return false }
        var utf8 = url.utf8.makeIterator()
        for byte in prefix where utf8.next() != byte { return false }
        guard let next = utf8.next() else { return true }
        return next == UInt8(ascii: "/") || next == UInt8(ascii: "?")
    }

    /// Why `request` must not be sent, or nil when it may.
    func refusal(for request: EngineRequest) -> TransportFailure? {
        if let origin, !startsWithVerbatimOrigin(request.url) {
            guard let target = Self.origin(of: request.url) else {
                return Self.refuse(CURLE_URL_MALFORMAT, "the URL \(request.url.abbreviated(limit: 80).debugDescription) does not parse")
            }
            if target.scheme != origin.scheme || target.host != origin.host || target.port != origin.port {
                return Self.refuse(CURLE_URL_MALFORMAT, "\(target) is not the base URL's origin \(origin)")
            }
            if target.hasUserInfo { return Self.refuse(CURLE_URL_MALFORMAT, "the URL carries user information") }
        }
        if let reason = HTTPSyntax.methodProblem(request.method) { return Self.refuse(CURLE_BAD_FUNCTION_ARGUMENT, reason) }
        for header in request.headers {
            if let reason = HTTPSyntax.headerProblem(name: header.name, value: header.value) {
                return Self.refuse(CURLE_BAD_FUNCTION_ARGUMENT, reason)
            }
        }
        return nil
    }

    private static func refuse(_ code: CURLcode, _ reason: String) -> TransportFailure {
        Curl.failure(code, message: refusalPrefix + reason)
    }

    /// The origin of `url` as libcurl parses it for a transfer; nil when it does not parse.
    static func origin(of url: String) -> Origin? {
        guard let handle = curl_url() else { return nil }
        defer { curl_url_cleanup(handle) }
        guard url.withCString({ stampede_url_parse(handle, $0) }) == CURLUE_OK,
            let scheme = part(CURLUPART_SCHEME, of: handle),
            let host = part(CURLUPART_HOST, of: handle),
            let port = part(CURLUPART_PORT, of: handle)
        else { return nil }
        let hasUserInfo = part(CURLUPART_USER, of: handle) != nil || part(CURLUPART_PASSWORD, of: handle) != nil
        return Origin(scheme: ASCII.lowercased(scheme), host: ASCII.lowercased(host), port: port, hasUserInfo: hasUserInfo)
    }

    private static func part(_ part: CURLUPart, of handle: OpaquePointer) -> String? {
        var out: UnsafeMutablePointer<CChar>?
        guard stampede_url_get(handle, part, &out) == CURLUE_OK, let out else { return nil }
        defer { curl_free(out) }
        return String(cString: out)
    }
}

extension TransportFailure {
    /// The engine refused the request before sending it (another origin, or a method or header
    /// that would inject lines): nothing reached the network.
    public var isRefused: Bool { message.hasPrefix(RequestGuard.refusalPrefix) }
}

extension HTTPEngine {
    /// Why the engine would refuse `request` without sending it, or nil when it would send it.
    public func refusal(for request: EngineRequest) -> TransportFailure? {
        requestGuard.refusal(for: request)
    }
}
