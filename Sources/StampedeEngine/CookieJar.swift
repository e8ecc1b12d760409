import StampedeHTTP
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The cookies of one virtual client (RFC 6265 storage and retrieval).
///
/// Parses `Set-Cookie` (`Domain`, `Path`, `Expires`, `Max-Age`, `Secure`, `HttpOnly`;
/// `SameSite` is ignored: there is no cross-site context here) and builds the `Cookie` header for a
/// URL. `Secure` cookies go to `https` URLs and to loopback hosts, as browsers treat localhost.
///
/// ```swift
/// var jar = CookieJar()
/// jar.store(response: response, requestURL: url)
/// let header = jar.cookieHeader(for: nextURL)   // "session=abc; csrf_token=xyz"
/// ```
public struct CookieJar: Sendable, Equatable {
    /// One stored cookie.
    public struct Cookie: Sendable, Equatable {
        /// The cookie's name.
        public var name: String
        /// The cookie's value, as received.
        public var value: String
        /// Lowercased, without a leading dot.
        public var domain: String
        /// True when no `Domain` attribute was given: only the exact host receives it.
        public var hostOnly: Bool
        /// The path prefix the cookie is sent to.
        public var path: String
        /// Seconds since 1970 UTC; nil for a session cookie.
        public var expires: Double?
        /// Sent only to `https` (and loopback) URLs.
        public var secure: Bool
        /// Recorded; has no effect on a non-browser client.
        public var httpOnly: Bool
        var creation: Int
    }

    private var cookies: [Cookie] = []
    private var nextCreation = 0

    /// An empty jar.
    public init() {}

    /// True when the jar holds no cookies (expired ones included until they are looked at).
    public var isEmpty: Bool { cookies.isEmpty }

    /// Every stored cookie, oldest first.
    public var all: [Cookie] { cookies }

    /// Forgets every cookie.
    public mutating func removeAll() { cookies.removeAll() }

    /// Stores one `Set-Cookie` header value received for `requestURL`, at the current time.
    public mutating func store(setCookie: String, requestURL: String) {
        store(setCookie: setCookie, requestURL: requestURL, now: Self.currentTime())
    }

    /// Stores one `Set-Cookie` header value; `now` is seconds since 1970 (for reproducible tests).
    public mutating func store(setCookie: String, requestURL: String, now: Double) {
        guard let url = RequestURL(requestURL), var cookie = Self.parse(setCookie, url: url, now: now) else { return }
        let expired = cookie.expires.map { $0 <= now } ?? false
        if let existing = cookies.firstIndex(where: { $0.name == cookie.name && $0.domain == cookie.domain && $0.path == cookie.path }) {
            if expired {
                cookies.remove(at: existing)
            } else {
                cookie.creation = cookies[existing].creation
                cookies[existing] = cookie
            }
            return
        }
        guard !expired else { return }
        cookie.creation = nextCreation
        nextCreation += 1
        cookies.append(cookie)
    }

    /// Stores every `Set-Cookie` header of a response to `requestURL`.
    public mutating func store(response: EngineResponse, requestURL: String) {
        let now = Self.currentTime()
        for value in response.setCookies {
            store(setCookie: value, requestURL: requestURL, now: now)
        }
    }

    /// The `Cookie` header value for a request to `url`, or nil when no cookie applies.
    public func cookieHeader(for url: String) -> String? {
        cookieHeader(for: url, now: Self.currentTime())
    }

    /// The `Cookie` header value for a request to `url` at time `now` (seconds since 1970).
    public func cookieHeader(for url: String, now: Double) -> String? {
        guard let url = RequestURL(url) else { return nil }
        let secureAllowed = url.isSecure || url.isLoopback
        let matching = cookies.filter { cookie in
            if let expires = cookie.expires, expires <= now { return false }
            if cookie.secure && !secureAllowed { return false }
            return Self.domainMatches(url.host, cookie: cookie) && Self.pathMatches(url.path, cookiePath: cookie.path)
        }
        guard !matching.isEmpty else { return nil }
        let ordered = matching.sorted {
            $0.path.utf8.count != $1.path.utf8.count ? $0.path.utf8.count > $1.path.utf8.count : $0.creation < $1.creation
        }
        return ordered.map { "\($0.name)=\($0.value)" }.joined(separator: "; ")
    }

    /// The value of the oldest unexpired cookie with this name, whatever its domain and path.
    public func value(named name: String) -> String? {
        value(named: name, now: Self.currentTime())
    }

    /// The value of the oldest cookie with this name unexpired at `now`.
    public func value(named name: String, now: Double) -> String? {
        cookies.first { $0.name == name && ($0.expires.map { $0 > now } ?? true) }?.value
    }

    // MARK: Parsing (RFC 6265 §5.2, §5.3)

    static func parse(_ header: String, url: RequestURL, now: Double) -> Cookie? {
        var parts = header.split(separator: ";", omittingEmptySubsequences: false)[...]
        guard let pair = parts.popFirst(), let equals = pair.firstIndex(of: "=") else { return nil }
        let name = String(ASCII.trimmed(pair[..<equals]))
        let value = String(ASCII.trimmed(pair[pair.index(after: equals)...]))
        guard !name.isEmpty else { return nil }

        var attributes = CookieAttributes()
        for attribute in parts { attributes.apply(attribute, now: now) }

        var hostOnly = true
        var cookieDomain = url.host
        if let domain = attributes.domain {
            let matches = url.host == domain || (!url.hostIsIPAddress && url.host.hasSuffix("." + domain))
            guard matches else { return nil }  // a host may not set cookies for another domain
            hostOnly = false
            cookieDomain = domain
        }
        return Cookie(
            name: name,
            value: value,
            domain: cookieDomain,
            hostOnly: hostOnly,
            path: attributes.path ?? url.defaultCookiePath,
            expires: attributes.maxAge ?? attributes.expires,
            secure: attributes.secure,
            httpOnly: attributes.httpOnly,
            creation: 0
        )
    }

    static func domainMatches(_ host: String, cookie: Cookie) -> Bool {
        if cookie.hostOnly { return host == cookie.domain }
        return host == cookie.domain || host.hasSuffix("." + cookie.domain)
    }

    static func pathMatches(_ requestPath: String, cookiePath: String) -> Bool {
        if requestPath == cookiePath { return true }
        guard requestPath.hasPrefix(cookiePath) else { return false }
        if cookiePath.hasSuffix("/") { return true }
        let next = requestPath.utf8[requestPath.utf8.index(requestPath.utf8.startIndex, offsetBy: cookiePath.utf8.count)]
        return next == UInt8(ascii: "/")
    }

    static func currentTime() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

/// The attributes of one `Set-Cookie` header after its name and value (RFC 6265 §5.2).
struct CookieAttributes {
    var domain: String?
    var path: String?
    var expires: Double?
    /// Max-Age turned into an absolute time; it wins over Expires.
    var maxAge: Double?
    var secure = false
    var httpOnly = false

    /// Reads one `key=value` (or bare `key`) attribute; SameSite and unknown attributes are ignored.
    mutating func apply(_ attribute: Substring, now: Double) {
        let key: Substring
        let attributeValue: Substring
        if let eq = attribute.firstIndex(of: "=") {
            key = ASCII.trimmed(attribute[..<eq])
            attributeValue = ASCII.trimmed(attribute[attribute.index(after: eq)...])
        } else {
            key = ASCII.trimmed(attribute)
            attributeValue = ""
        }
        switch ASCII.lowercased(String(key)) {
        case "expires":
            if let date = CookieDate.parse(String(attributeValue)) { expires = date }
        case "max-age":
            let digits = attributeValue.hasPrefix("-") ? attributeValue.dropFirst() : attributeValue
            if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let seconds = Int(attributeValue) {
                // Max-Age ≤ 0 means "expire now": the earliest representable time.
                maxAge = seconds <= 0 ? -Double.greatestFiniteMagnitude : now + Double(seconds)
            }
        case "domain":
            var d = Substring(ASCII.lowercased(String(attributeValue)))
            if d.hasPrefix(".") { d = d.dropFirst() }
            if !d.isEmpty { domain = String(d) }
        case "path":
            if attributeValue.hasPrefix("/") { path = String(attributeValue) }
        case "secure":
            secure = true
        case "httponly":
            httpOnly = true
        default:
            break
        }
    }
}
