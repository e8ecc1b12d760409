import StampedeCore
import StampedeEngine
import StampedeHTTP

/// Binds a client's variables from a response with `StampedeCore.ResponseView` (which gives
/// extract rules their meaning); cookies are read from the client's jar, after the response's
/// Set-Cookie headers were stored in it.
enum ResponseExtractor {
    /// Binds every rule that matches; returns the names of rules that found nothing.
    @discardableResult
    static func apply(_ rules: [ExtractRule], response: HTTPResponse, jar: CookieJar, into variables: inout [String: String]) -> [String] {
        guard !rules.isEmpty else { return [] }
        var view = ResponseView(body: response.body, header: { response.header($0) }, cookie: { jar.value(named: $0) })
        var missing: [String] = []
        for rule in rules {
            if let value = view.value(of: rule) {
                variables[rule.variable] = value
            } else {
                missing.append(rule.variable)
            }
        }
        return missing
    }

    /// The value at a JSON pointer of a body, as text (for poll conditions).
    static func jsonText(_ body: [UInt8], pointer: String) -> String? {
        var view = ResponseView(body: body, header: { _ in nil }, cookie: { _ in nil })
        return view.jsonText(at: pointer)
    }
}
