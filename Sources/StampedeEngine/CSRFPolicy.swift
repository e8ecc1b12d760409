public import StampedeHTTP

/// The double-submit CSRF pattern: copy a cookie's value into a request header.
public struct CSRFPolicy: Sendable, Equatable {
    /// The header that carries the token (`X-CSRF-Token`).
    public var headerName: String
    /// The cookie the server set the token in (`csrf_token`).
    public var cookieName: String

    /// A policy with the given names (defaults: `X-CSRF-Token` / `csrf_token`).
    public init(headerName: String = "X-CSRF-Token", cookieName: String = "csrf_token") {
        self.headerName = headerName
        self.cookieName = cookieName
    }

    /// The header mirroring the jar's token cookie, or nil when the jar has no such cookie.
    public func header(from jar: CookieJar) -> HTTPHeader? {
        jar.value(named: cookieName).map { HTTPHeader(headerName, $0) }
    }
}
