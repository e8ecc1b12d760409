import StampedeHTTP

/// The parts of an absolute URL the cookie jar needs: scheme, host and path.
///
/// Deliberately small (no Foundation `URL`): it runs once per request per client.
struct RequestURL: Equatable {
    var scheme: String
    var host: String
    var path: String

    init?(_ string: String) {
        guard let schemeEnd = string.firstRange(of: "://") else { return nil }
        scheme = ASCII.lowercased(String(string[..<schemeEnd.lowerBound]))
        let rest = string[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let hostPart: Substring
        if authority.first == "[", let close = authority.firstIndex(of: "]") {
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
        } else {
            hostPart = authority[..<(authority.firstIndex(of: ":") ?? authority.endIndex)]
        }
        host = ASCII.lowercased(String(hostPart))
        let afterAuthority = rest[authorityEnd...]
        let pathEnd = afterAuthority.firstIndex { $0 == "?" || $0 == "#" } ?? afterAuthority.endIndex
        let rawPath = afterAuthority[..<pathEnd]
        path = rawPath.isEmpty ? "/" : String(rawPath)
    }

    var isSecure: Bool { scheme == "https" || scheme == "wss" }

    /// Loopback hosts count as secure for `Secure` cookies, as browsers treat them.
    var isLoopback: Bool { host == "localhost" || host == "127.0.0.1" || host == "::1" || host.hasSuffix(".localhost") }

    /// The RFC 6265 §5.1.4 default cookie path: the directory of the request path.
    var defaultCookiePath: String {
        guard path.hasPrefix("/"), let lastSlash = path.lastIndex(of: "/"), lastSlash != path.startIndex else { return "/" }
        return String(path[..<lastSlash])
    }

    /// True for an IPv4 or IPv6 literal, which only ever matches itself as a cookie domain.
    var hostIsIPAddress: Bool {
        host.contains(":") || (!host.isEmpty && host.allSatisfy { $0.isNumber || $0 == "." })
    }
}
