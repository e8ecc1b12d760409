public import StampedeCore

/// A variable a request needed and nothing resolved, with where it should have come from.
public struct UnresolvedVariable: Sendable, Hashable, CustomStringConvertible {
    /// The name inside the braces (`content_id`, `secret.authorization_basic`).
    public var name: String
    /// Where the value should have come from, or what to set.
    public var reason: String

    /// A variable and its reason.
    public init(name: String, reason: String) {
        self.name = name
        self.reason = reason
    }

    /// `{{content_id}} unresolved: step 3 (POST /api/contents) did not return /path`.
    public var description: String { "{{\(name)}} unresolved: \(reason)" }
}

/// Which recorded step gives each variable and sets each cookie, to explain an unresolved
/// `{{name}}` in one line.
public struct VariableSources: Sendable {
    struct Source: Sendable {
        var sessionID: String
        /// 1-based.
        var number: Int
        var endpoint: String
        var what: String
    }

    private var variables: [String: [Source]] = [:]
    private var cookies: [String: [Source]] = [:]

    /// The sources in a corpus's sessions.
    public init(sessions: [Session]) {
        for session in sessions {
            for (i, step) in session.steps.enumerated() {
                let endpoint = step.endpoint ?? EndpointTemplate.key(method: step.request.method, path: step.request.path)
                for rule in step.extract {
                    variables[rule.variable, default: []].append(
                        Source(sessionID: session.id, number: i + 1, endpoint: endpoint, what: Self.describe(rule)))
                }
                for cookie in step.setsCookies {
                    cookies[cookie, default: []].append(
                        Source(sessionID: session.id, number: i + 1, endpoint: endpoint, what: "cookie " + cookie))
                }
            }
        }
    }

    /// Why `name` is unresolved for a step of `sessionID` (the session's own source first).
    public func explain(_ name: String, session sessionID: String? = nil) -> UnresolvedVariable {
        UnresolvedVariable(name: name, reason: reason(for: name, session: sessionID))
    }

    func reason(for name: String, session sessionID: String?) -> String {
        if let secret = SecretName.name(ofVariable: name) {
            return "set \(SecretName.environmentVariable(for: secret)) (or --secret \(secret)=… or a --secrets-file line)"
        }
        let cookie = name.hasPrefix("cookie.") ? String(name.dropFirst("cookie.".count)) : nil
        let sources = cookie.map { cookies[$0] ?? [] } ?? variables[name] ?? []
        guard let source = sources.first(where: { $0.sessionID == sessionID }) ?? sources.first else {
            if let cookie { return "no cookie \(cookie) in the client's jar, and no recorded step sets it" }
            if BuiltinVariables.isBuiltin(name) { return "a built-in this client cannot provide" }
            return "no recorded step extracts it"
        }
        let other = source.sessionID == sessionID || sessionID == nil ? "" : " of session \(source.sessionID)"
        return "step \(source.number)\(other) (\(source.endpoint)) did not return \(source.what)"
    }

    static func describe(_ rule: ExtractRule) -> String {
        switch rule.source {
        case .json: rule.expression
        case .header: "header " + rule.expression
        case .cookie: "cookie " + rule.expression
        case .regex: "a match of /\(rule.expression)/"
        }
    }
}
