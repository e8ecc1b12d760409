import Foundation
import StampedeCore
public import StampedeEngine

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
        let name = String(name)
        if let value = variables[name] { return value }
        switch name {
        case "vu.index": return String(identity.index)
        case "vu.username": return identity.username
        case "vu.email": return identity.email
        case "vu.password": return identity.password
        case "run.id": return identity.runID
        case "random.uuid": return UUID().uuidString.lowercased()
        case "random.int":
            var generator = SystemRandomNumberGenerator()
            return String(generator.next() % 2_147_483_647)
        case "random.hex":
            var generator = SystemRandomNumberGenerator()
            return String(generator.next(), radix: 16).leftPadded(to: 16)
        case "now.ms": return String(Int64(Date().timeIntervalSince1970 * 1000))
        case "now.s": return String(Int64(Date().timeIntervalSince1970))
        case "now.iso": return ISO8601.string(from: Date())
        default:
            if name.hasPrefix("cookie.") { return cookies.value(named: String(name.dropFirst(7))) }
            if name.hasPrefix("secret.") { return secrets[String(name.dropFirst(7))] }
            return nil
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
