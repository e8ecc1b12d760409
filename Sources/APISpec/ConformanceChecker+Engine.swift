import Foundation
public import StampedeEngine
import StampedeHTTP

extension ConformanceChecker {
    /// Judges an engine response to `request` (nil for transport failures and unmatched requests).
    ///
    /// A request that is not well-formed HTTP (a lowercase or odd method, a control byte in a header)
    /// is not judged: the server's HTTP layer may refuse it before the API sees it, and the spec
    /// describes the API.
    public func check(_ response: EngineResponse, to request: EngineRequest, brokenConstraint: String? = nil) -> ConformanceViolation? {
        guard response.failure == nil, Self.isWellFormed(request) else { return nil }
        return check(
            Observed(
                method: request.method, path: Self.path(ofURL: request.url), status: response.status,
                contentType: response.header("Content-Type"), body: response.body,
                bodyComplete: response.bodyBytes <= response.body.count, brokenConstraint: brokenConstraint))
    }

    /// Whether a request is plain HTTP an API sees: an upper-case token method, token header names
    /// and header values without control bytes (tab allowed).
    static func isWellFormed(_ request: EngineRequest) -> Bool {
        HTTPSyntax.isToken(request.method) && request.method == request.method.uppercased()
            && request.headers.allSatisfy { header in
                HTTPSyntax.isToken(header.name) && header.value.utf8.allSatisfy { $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }
            }
    }

    /// The path of an absolute URL (`http://h:1/a/b?q` → `/a/b`).
    public static func path(ofURL url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") {
            rest = rest[scheme.upperBound...]
            rest = rest.firstIndex(of: "/").map { rest[$0...] } ?? "/"
        }
        if let q = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<q] }
        return String(rest)
    }
}
