/// How a redacted credential is named: `{{secret.NAME}}` in a corpus, `STAMPEDE_SECRET_NAME` in
/// the environment, `$STAMPEDE_SECRET_NAME` wherever a person or a script reads it.
///
/// NAME is lowercase snake case (`authorization_basic`); the environment form is its uppercase.
public enum SecretName {
    /// The prefix of secret variables in templates.
    public static let variablePrefix = "secret."
    /// The prefix of the environment variables that carry secrets.
    public static let environmentPrefix = "STAMPEDE_SECRET_"

    /// NAME of a template variable `secret.NAME`, or nil when it is not a secret.
    public static func name(ofVariable variable: some StringProtocol) -> String? {
        guard variable.hasPrefix(variablePrefix) else { return nil }
        return String(variable.dropFirst(variablePrefix.count))
    }

    /// The environment variable that supplies `secret.NAME`: `STAMPEDE_SECRET_` + NAME uppercased,
    /// with every character other than A–Z, 0–9 and `_` made `_`.
    public static func environmentVariable(for name: some StringProtocol) -> String {
        environmentPrefix + String(String(name).uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }

    /// NAME (lowercase) of an environment variable `STAMPEDE_SECRET_NAME`, or nil.
    public static func name(ofEnvironmentVariable variable: some StringProtocol) -> String? {
        guard variable.hasPrefix(environmentPrefix), variable.count > environmentPrefix.count else { return nil }
        return String(variable.dropFirst(environmentPrefix.count)).lowercased()
    }

    /// How a secret is shown to people and in scripts: `$STAMPEDE_SECRET_NAME`.
    public static func placeholder(for name: some StringProtocol) -> String {
        "$" + environmentVariable(for: name)
    }
}
