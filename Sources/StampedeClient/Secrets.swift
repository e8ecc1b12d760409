import Foundation
import StampedeCore
import StampedeHTTP
public import StampedeEngine

/// The credentials a replay supplies for `{{secret.NAME}}`, keyed by NAME, and the one place that
/// hides them again: wherever a rendered request is printed or stored, a secret's value shows as
/// `$STAMPEDE_SECRET_NAME` (`redact`).
///
/// Sources, strongest first: `--secret NAME=VALUE` flags, a `--secrets-file` (dotenv), then
/// `STAMPEDE_SECRET_NAME` environment variables (`load(flags:file:environment:)`).
public struct Secrets: Sendable, Equatable {
    /// Values by NAME (lowercase snake case, as in `secret.NAME`).
    public private(set) var values: [String: String]
    /// Names by descending value length, so `redact` replaces a longer value before a value it contains.
    private var order: [String]

    /// Secrets with these values by NAME (a `STAMPEDE_SECRET_` prefix is accepted and removed).
    public init(_ values: [String: String] = [:]) {
        var normalized: [String: String] = [:]
        for (key, value) in values { normalized[Self.normalize(key)] = value }
        self.values = normalized
        order = normalized.keys.sorted { a, b in
            let la = normalized[a]?.utf8.count ?? 0, lb = normalized[b]?.utf8.count ?? 0
            return la != lb ? la > lb : a < b
        }
    }

    /// The names supplied, sorted.
    public var names: [String] { values.keys.sorted() }
    /// Whether no secret is supplied.
    public var isEmpty: Bool { values.isEmpty }

    /// The value of `secret.NAME`, or nil when it was not supplied.
    public func value(named name: some StringProtocol) -> String? {
        values.isEmpty ? nil : values[String(name)]
    }

    /// `text` with every supplied secret's value replaced by `$STAMPEDE_SECRET_NAME`.
    public func redact(_ text: String) -> String {
        guard !values.isEmpty else { return text }
        var out = text
        for name in order {
            guard let value = values[name], !value.isEmpty, out.contains(value) else { continue }
            out = out.replacingOccurrences(of: value, with: SecretName.placeholder(for: name))
        }
        return out
    }

    /// `request` with every secret's value replaced in its URL, headers and body.
    public func redact(_ request: EngineRequest) -> EngineRequest {
        guard !values.isEmpty else { return request }
        var out = request
        out.url = redact(request.url)
        out.headers = request.headers.map { HTTPHeader($0.name, redact($0.value)) }
        if let text = String(validating: request.body, as: UTF8.self) { out.body = Array(redact(text).utf8) }
        return out
    }

    /// NAME of a key given as `NAME`, `secret.NAME` or `STAMPEDE_SECRET_NAME`.
    static func normalize(_ key: some StringProtocol) -> String {
        let trimmed = String(key).trimmingCharacters(in: .whitespaces)
        if let name = SecretName.name(ofEnvironmentVariable: trimmed) { return name }
        if let name = SecretName.name(ofVariable: trimmed) { return name.lowercased() }
        return trimmed.lowercased()
    }
}

/// Why secrets could not be loaded (a usage error: the CLI exits 2).
public struct SecretsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One line naming the bad input.
    public var description: String
}

extension Secrets {
    /// Secrets from `--secret NAME=VALUE` flags, a dotenv file and the environment; a name given in
    /// several places takes the flag's value, else the file's, else the environment's.
    public static func load(flags: [String], file: String?, environment: [String: String]) throws(SecretsError) -> Secrets {
        var merged: [String: String] = [:]
        for (key, value) in environment {
            if let name = SecretName.name(ofEnvironmentVariable: key) { merged[name] = value }
        }
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw SecretsError(description: "--secrets-file \(file): cannot read the file")
            }
            for (name, value) in try parseDotenv(String(decoding: data, as: UTF8.self), file: file) { merged[name] = value }
        }
        for flag in flags {
            guard let eq = flag.firstIndex(of: "="), eq != flag.startIndex else {
                throw SecretsError(description: "--secret \(flag.prefix(40)): expected NAME=VALUE")
            }
            merged[normalize(flag[..<eq])] = String(flag[flag.index(after: eq)...])
        }
        return Secrets(merged)
    }

    /// `NAME=value` lines; `# comments` and blank lines skipped, an `export ` prefix and one pair of
    /// matching quotes around the value removed. Keys are NAME or `STAMPEDE_SECRET_NAME`.
    static func parseDotenv(_ text: String, file: String) throws(SecretsError) -> [(String, String)] {
        var pairs: [(String, String)] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst("export ".count)).trimmingCharacters(in: .whitespaces) }
            guard let eq = line.firstIndex(of: "="), eq != line.startIndex else {
                throw SecretsError(description: "--secrets-file \(file):\(number + 1): expected NAME=value")
            }
            var value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            pairs.append((normalize(line[..<eq]), value))
        }
        return pairs
    }
}
