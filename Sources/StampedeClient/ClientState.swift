public import StampedeCore
public import StampedeEngine

/// What one client carries from request to request: identity, cookies, extracted variables and
/// its own random stream (for `random.*`, reproducible from the run's seed).
public struct ClientState: Sendable {
    /// Who the client is (username, e-mail, password, index).
    public var identity: ClientIdentity
    /// The client's cookies.
    public var jar: CookieJar
    /// Variables bound by extract rules so far.
    public var variables: [String: String]
    /// The client's own random stream.
    public var rng: SeededGenerator

    /// A fresh client: empty jar, no variables.
    public init(identity: ClientIdentity, seed: UInt64 = 0, stream: UInt64 = 0x636C_6965_6E74) {
        self.identity = identity
        jar = CookieJar()
        variables = [:]
        rng = SeededGenerator(seed: seed, stream, UInt64(truncatingIfNeeded: identity.index))
    }

    /// The value of a template variable: built-ins (`vu.*`, `run.id`, `random.*`, `now.*`,
    /// `cookie.NAME`), then extracted variables; nil when unknown. `secret.NAME` is the renderer's.
    public mutating func lookup(_ name: Substring) -> String? {
        let jar = self.jar
        return BuiltinVariables.value(of: name, identity: identity, cookie: { jar.value(named: $0) }, random: &rng)
            ?? variables[String(name)]
    }
}
