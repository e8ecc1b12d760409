public import StampedeCore
public import StampedeEngine
import StampedeHTTP

/// What one replaying client carries from step to step: identity, cookies and variables.
public struct ClientState: Sendable {
    public var identity: ClientIdentity
    public var cookies: CookieJar
    /// Variables bound by extract rules so far.
    public var variables: [String: String]
    /// Values for `{{secret.NAME}}` placeholders left by redaction, keyed by NAME.
    public var secrets: [String: String]

    public init(identity: ClientIdentity, cookies: CookieJar = CookieJar(), variables: [String: String] = [:], secrets: [String: String] = [:]) {
        self.identity = identity
        self.cookies = cookies
        self.variables = variables
        self.secrets = secrets
    }

    /// The value of a template variable: extracted variables, then built-ins
    /// (`vu.*`, `run.id`, `random.*`, `now.*`, `cookie.NAME`, `secret.NAME`); nil when unknown.
    public func lookup(_ name: some StringProtocol) -> String? {
        if let value = variables[String(name)] { return value }
        if name.hasPrefix("secret.") { return secrets[String(name.dropFirst("secret.".count))] }
        var random = SystemRandomNumberGenerator()
        return BuiltinVariables.value(of: name, identity: identity, cookie: { cookies.value(named: $0) }, random: &random)
    }
}
