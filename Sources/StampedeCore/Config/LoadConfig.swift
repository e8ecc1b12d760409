import Foundation

/// The load mode: user flows, monkey garbage, or both at the same time.
public enum LoadMode: String, Sendable, Codable, CaseIterable {
    case monkey, user, both
}

/// The run settings the original suite had, resolved as flags > `LOAD_*` environment > defaults.
public struct LoadConfig: Sendable, Equatable, Codable {
    /// Where the target is (`--base-url`, `LOAD_BASE_URL`).
    public var baseURL: String
    /// Replaces a leading `/api/v1` of recorded paths.
    public var apiPrefix: String
    /// Whether TLS certificates are checked; the CLI defaults to `false` like the original suite.
    public var verifyTLS: Bool
    /// Which kinds of clients run.
    public var mode: LoadMode
    /// Virtual clients in all (user and monkey).
    public var clients: Int
    /// Requests in flight at most, across all clients.
    public var concurrency: Int
    /// Seconds.
    public var duration: Double
    /// Whether user clients register their account before logging in.
    public var autoRegister: Bool
    /// The start of each client's username (`{userPrefix}_{index}_{random}`).
    public var userPrefix: String
    /// The domain of each client's e-mail address.
    public var userDomain: String
    /// The password every client registers and logs in with (never written to a report).
    public var userPassword: String
    /// Where the report is written.
    public var output: String

    enum CodingKeys: String, CodingKey {
        case baseURL = "base_url"
        case apiPrefix = "api_prefix"
        case verifyTLS = "verify_tls"
        case mode, clients, concurrency
        case duration = "duration_s"
        case autoRegister = "auto_register"
        case userPrefix = "user_prefix"
        case userDomain = "user_domain"
        case userPassword = "user_password"
        case output
    }
}

/// One setting: its flag, its environment variable, its default and how to parse it.
public enum LoadSetting: String, Sendable, CaseIterable {
    case baseURL, apiPrefix, verifyTLS, mode, clients, concurrency, duration
    case autoRegister, userPrefix, userDomain, userPassword, output

    /// The command-line flag that sets it.
    public var flag: String {
        switch self {
        case .baseURL: "--base-url"
        case .apiPrefix: "--api-prefix"
        case .verifyTLS: "--verify-tls"
        case .mode: "--mode"
        case .clients: "--clients"
        case .concurrency: "--concurrency"
        case .duration: "--duration"
        case .autoRegister: "--auto-register"
        case .userPrefix: "--user-prefix"
        case .userDomain: "--user-domain"
        case .userPassword: "--user-password"
        case .output: "--output"
        }
    }

    /// The `LOAD_*` environment variable that sets it.
    public var environmentVariable: String {
        switch self {
        case .baseURL: "LOAD_BASE_URL"
        case .apiPrefix: "LOAD_API_PREFIX"
        case .verifyTLS: "LOAD_VERIFY_TLS"
        case .mode: "LOAD_MODE"
        case .clients: "LOAD_CLIENTS"
        case .concurrency: "LOAD_CONCURRENCY"
        case .duration: "LOAD_DURATION"
        case .autoRegister: "LOAD_AUTO_REGISTER"
        case .userPrefix: "LOAD_USER_PREFIX"
        case .userDomain: "LOAD_USER_DOMAIN"
        case .userPassword: "LOAD_USER_PASSWORD"
        case .output: "LOAD_OUTPUT"
        }
    }

    /// The original suite's defaults (`LOAD_OUTPUT` is Stampede's own).
    public var defaultValue: String {
        switch self {
        case .baseURL: "https://localhost:443"
        case .apiPrefix: "/api/v1"
        case .verifyTLS: "false"
        case .mode: "both"
        case .clients: "25"
        case .concurrency: "10"
        case .duration: "180"
        case .autoRegister: "true"
        case .userPrefix: "loaduser"
        case .userDomain: "example.com"
        case .userPassword: "testpass123!"
        case .output: "out"
        }
    }
}

/// A setting with a value that cannot be used; `description` is the one line the CLI prints.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The flag or environment variable the bad value came from.
    public var source: String
    /// The value as given.
    public var value: String
    /// What would have been accepted.
    public var expected: String

    /// A bad `value` from `source`; `expected` says what is accepted.
    public init(source: String, value: String, expected: String) {
        self.source = source
        self.value = value
        self.expected = expected
    }

    /// `invalid value 'x' for --flag: expected …`, one line.
    public var description: String { "invalid value '\(value)' for \(source): expected \(expected)" }
}

extension LoadConfig {
    /// Resolves every setting: a flag value wins over the environment, which wins over the default.
    ///
    /// - Parameters:
    ///   - flags: values given on the command line, by setting.
    ///   - environment: usually `ProcessInfo.processInfo.environment`.
    /// - Throws: ``ConfigError`` naming the flag or variable of the first bad value.
    public static func resolve(
        flags: [LoadSetting: String],
        environment: [String: String]
    ) throws(ConfigError) -> LoadConfig {
        func raw(_ s: LoadSetting) -> (value: String, source: String) {
            if let v = flags[s] { return (v, s.flag) }
            if let v = environment[s.environmentVariable] { return (v, s.environmentVariable) }
            return (s.defaultValue, "the default of \(s.flag)")
        }
        func url(_ s: LoadSetting) throws(ConfigError) -> String {
            let (v, src) = raw(s)
            try validateURL(v, source: src)
            return v.hasSuffix("/") ? String(v.dropLast()) : v
        }
        func positiveInt(_ s: LoadSetting) throws(ConfigError) -> Int {
            let (v, src) = raw(s)
            guard let n = Int(v.trimmingCharacters(in: .whitespaces)), n > 0 else {
                throw ConfigError(source: src, value: v, expected: "a whole number of at least 1")
            }
            return n
        }
        func bool(_ s: LoadSetting) throws(ConfigError) -> Bool {
            let (v, src) = raw(s)
            guard let b = parseBool(v) else {
                throw ConfigError(source: src, value: v, expected: "true or false")
            }
            return b
        }
        func text(_ s: LoadSetting) throws(ConfigError) -> String {
            let (v, src) = raw(s)
            guard !v.isEmpty else { throw ConfigError(source: src, value: v, expected: "a non-empty value") }
            return v
        }
        let (modeRaw, modeSource) = raw(.mode)
        guard let mode = LoadMode(rawValue: modeRaw.lowercased()) else {
            throw ConfigError(source: modeSource, value: modeRaw, expected: "monkey, user or both")
        }
        let (durationRaw, durationSource) = raw(.duration)
        guard let duration = parseDuration(durationRaw) else {
            throw ConfigError(source: durationSource, value: durationRaw, expected: "a positive number of seconds (or 30s, 5m, 1h)")
        }
        var prefix = raw(.apiPrefix).value
        if !prefix.isEmpty && !prefix.hasPrefix("/") { prefix = "/" + prefix }
        if prefix.hasSuffix("/") { prefix.removeLast() }
        return LoadConfig(
            baseURL: try url(.baseURL),
            apiPrefix: prefix,
            verifyTLS: try bool(.verifyTLS),
            mode: mode,
            clients: try positiveInt(.clients),
            concurrency: try positiveInt(.concurrency),
            duration: duration,
            autoRegister: try bool(.autoRegister),
            userPrefix: try text(.userPrefix),
            userDomain: try text(.userDomain),
            userPassword: try text(.userPassword),
            output: try text(.output)
        )
    }

    /// Checks that a base URL has an http(s) scheme and a host.
    public static func validateURL(_ value: String, source: String) throws(ConfigError) {
        guard let components = URLComponents(string: value),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty
        else {
            throw ConfigError(source: source, value: value, expected: "an absolute http:// or https:// URL with a host")
        }
    }

    /// `true/false`, `1/0`, `yes/no`, `on/off` (case-insensitive).
    public static func parseBool(_ value: String) -> Bool? {
        switch value.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "1", "yes", "on": true
        case "false", "0", "no", "off": false
        default: nil
        }
    }

    /// Seconds as a plain number, or with an `s`, `m` or `h` suffix; must be positive and finite.
    public static func parseDuration(_ value: String) -> Double? {
        var text = value.trimmingCharacters(in: .whitespaces).lowercased()
        var scale = 1.0
        if let last = text.last, "smh".contains(last) {
            scale = last == "s" ? 1 : last == "m" ? 60 : 3600
            text.removeLast()
        }
        guard let number = Double(text), number.isFinite, number > 0 else { return nil }
        return number * scale
    }
}
