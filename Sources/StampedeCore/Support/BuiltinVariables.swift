import Foundation
import StampedeHTTP

/// Variables that every replay provides without an extract rule.
///
/// - `vu.index`, `vu.username`, `vu.email`, `vu.password`: the virtual client's identity
///   (`{prefix}_{index}_{runid}`, `{username}@{domain}`, the configured password);
/// - `vu.tag`: short, unique per client and run, lowercase `[a-z0-9]` (client-chosen names
///   become `alpha-{{vu.tag}}`);
/// - `vu.basic`: HTTP Basic credentials of the client, base64 of `vu.username:vu.password`;
/// - `run.id`: the run's short id;
/// - `random.uuid`, `random.int`, `random.hex`: fresh at each use (generators);
/// - `now.ms`, `now.s`, `now.iso`: the send time (generators);
/// - `cookie.NAME`: the value of cookie NAME in the client's jar (e.g. `cookie.csrf_token`);
/// - `secret.NAME`: a redacted credential, supplied at replay time (`STAMPEDE_SECRET_NAME`).
public enum BuiltinVariables {
    /// Built-ins fixed per client.
    public static let clientNames = ["vu.index", "vu.username", "vu.email", "vu.password", "vu.tag", "vu.basic"]
    /// Built-ins fresh at each use.
    public static let generatorNames = ["random.uuid", "random.int", "random.hex", "now.ms", "now.s", "now.iso"]

    /// The value of a built-in for one client, or nil when `name` is not a built-in this function
    /// resolves (`secret.NAME` is the caller's: only it knows the secrets).
    ///
    /// - Parameters:
    ///   - cookie: the value of a cookie in the client's jar, by name.
    ///   - random: the source for `random.*` (a client's seeded generator makes them reproducible).
    public static func value(
        of name: some StringProtocol,
        identity: ClientIdentity,
        cookie: (String) -> String?,
        random: inout some RandomNumberGenerator
    ) -> String? {
        switch name {
        case "vu.index": return String(identity.index)
        case "vu.username": return identity.username
        case "vu.email": return identity.email
        case "vu.password": return identity.password
        case "vu.tag": return identity.tag
        case "vu.basic": return identity.basicCredentials
        case "run.id": return identity.runID
        case "random.uuid": return uuid(&random)
        case "random.int": return String(random.next() % 1_000_000_000)
        case "random.hex": return hex(random.next())
        case "now.ms": return String(Int64(Date().timeIntervalSince1970 * 1000))
        case "now.s": return String(Int64(Date().timeIntervalSince1970))
        case "now.iso": return ISO8601.string(from: Date())
        default:
            guard name.hasPrefix("cookie.") else { return nil }
            return cookie(String(name.dropFirst("cookie.".count)))
        }
    }

    /// 16 lowercase hex digits.
    static func hex(_ value: UInt64) -> String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    /// A version-4 UUID drawn from `random`.
    static func uuid(_ random: inout some RandomNumberGenerator) -> String {
        let a = (random.next() & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let b = (random.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        let c = Array(hex(a) + hex(b))
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-" + String(c[20..<32])
    }

    /// Whether `name` is provided by the replayer itself.
    public static func isBuiltin(_ name: some StringProtocol) -> Bool {
        name.hasPrefix("cookie.") || name.hasPrefix("secret.") || name == "run.id"
            || clientNames.contains(String(name)) || generatorNames.contains(String(name))
    }
}

extension Session {
    /// Variables a step references that neither a built-in nor an earlier step's extract rule
    /// (nor an earlier poll) defines: `(step index, name)` pairs.
    public func unresolvedVariables() -> [(step: Int, name: String)] {
        var defined = Set<String>()
        var missing: [(Int, String)] = []
        for (index, step) in steps.enumerated() {
            for name in step.referencedVariables() where !BuiltinVariables.isBuiltin(name) && !defined.contains(String(name)) {
                missing.append((index, String(name)))
            }
            for rule in step.extract { defined.insert(rule.variable) }
        }
        return missing
    }
}

extension Session {
    /// The secrets the session's steps reference: NAME of each `{{secret.NAME}}` (first use
    /// first) with the 0-based indexes of the steps that use it.
    public func secretReferences() -> [(name: String, steps: [Int])] {
        var order: [String] = []
        var steps: [String: [Int]] = [:]
        for (index, step) in self.steps.enumerated() {
            for variable in step.referencedVariables() {
                guard let name = SecretName.name(ofVariable: variable) else { continue }
                if steps[name] == nil { order.append(name) }
                if steps[name]?.last != index { steps[name, default: []].append(index) }
            }
        }
        return order.map { ($0, steps[$0] ?? []) }
    }
}

extension Step {
    /// Every `{{name}}` in the request: path, query, headers and text body.
    public func referencedVariables() -> [Substring] {
        var names = Template.variables(in: request.path)
        for item in request.query {
            names += Template.variables(in: item.name)
            if let v = item.value { names += Template.variables(in: v) }
        }
        for header in request.headers { names += Template.variables(in: header.value) }
        if let text = request.body?.text { names += Template.variables(in: text) }
        return names
    }
}
