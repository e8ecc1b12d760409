import Foundation
public import StampedeEngine

extension ConformanceChecker {
    /// Judges an engine response to `request` (nil for transport failures and unmatched requests).
    public func check(_ response: EngineResponse, to request: EngineRequest, brokenConstraint: String? = nil) -> ConformanceViolation? {
        guard response.failure == nil else { return nil }
        return check(
            Observed(
                method: request.method, path: Self.path(ofURL: request.url), status: response.status,
                contentType: response.header("Content-Type"), body: response.body,
                bodyComplete: response.bodyBytes <= response.body.count, brokenConstraint: brokenConstraint))
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
