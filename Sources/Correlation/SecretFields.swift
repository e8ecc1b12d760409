/// Which request field and header names hold credentials, for redaction.
///
/// Names are compared case-insensitively in snake form: camelCase is split and every run of
/// characters other than letters and digits becomes one `_` (`X-Api-Key` → `x_api_key`,
/// `apiKey` → `api_key`, `user[password]` → `user_password`). A pattern is put in the same form
/// and may hold `*` for any run of characters (`secret*`, `*_token`, `*key`).
///
/// `--redact` patterns are always secret; `--keep` patterns exempt names from the built-in list.
public struct SecretFields: Sendable, Hashable {
    /// The built-in patterns (snake form).
    public static let builtin: [String] = [
        "*password*", "*passwd*", "pwd", "*_pwd", "pass", "*_pass", "passphrase", "*_passphrase", "passcode", "*_passcode",
        "secret*", "*_secret", "*_secret_*", "*secrets",
        "token", "*token", "*_token_*", "*tokens", "jwt", "*_jwt",
        "*key", "*_key_*", "*_keys",
        "session*", "*_session", "*_session_*", "*sessionid", "*sessid",
        "otp", "*_otp", "otp_*", "totp", "hotp", "mfa_code", "2fa_code",
        "pin", "*_pin", "pin_*", "pincode",
        "auth", "*_auth", "authorization", "*_authorization", "credential*", "*_credential*", "bearer",
        "cookie", "*_cookie", "cvv", "cvc", "ssn", "card_number", "credit_card*",
    ]
    private static let builtinForms = builtin.map { Array($0.utf8) }

    /// Extra patterns redacted whatever the built-in list says (`--redact FIELD`).
    public var redact: [String]
    /// Patterns kept in clear although the built-in list matches them (`--keep FIELD`).
    public var keep: [String]

    /// Rules with these extra patterns.
    public init(redact: [String] = [], keep: [String] = []) {
        self.redact = redact
        self.keep = keep
    }

    /// Whether a field or header called `name` holds a credential.
    public func isSecret(_ name: String) -> Bool {
        let form = Array(Self.snakeForm(name).utf8)
        guard !form.isEmpty else { return false }
        if redact.contains(where: { Self.matches(form, pattern: $0) }) { return true }
        if isKept(form) { return false }
        return Self.builtinForms.contains { Self.glob(form[...], $0[...]) }
    }

    /// Whether `name` is exempt from redaction by `--keep` (and not named by `--redact`).
    public func isKept(_ name: String) -> Bool {
        let form = Array(Self.snakeForm(name).utf8)
        return !redact.contains(where: { Self.matches(form, pattern: $0) }) && isKept(form)
    }

    private func isKept(_ form: [UInt8]) -> Bool {
        keep.contains { Self.matches(form, pattern: $0) }
    }

    private static func matches(_ form: [UInt8], pattern: String) -> Bool {
        glob(form[...], Array(snakeForm(pattern).utf8)[...])
    }

    /// `X-Api-Key` → `x_api_key`, `apiKey` → `api_key`; `*` is kept (patterns).
    package static func snakeForm(_ name: String) -> String {
        var out = ""
        var previous: Character?
        var pendingSeparator = false
        for c in name {
            let isWord = c.isASCII && (c.isLetter || c.isNumber)
            if isWord || c == "*" {
                let splitsCamel = c.isUppercase && (previous.map { $0.isLowercase || $0.isNumber } ?? false)
                if !out.isEmpty, pendingSeparator || splitsCamel, out.last != "_" { out.append("_") }
                out.append(Character(c.lowercased()))
                pendingSeparator = false
            } else {
                pendingSeparator = true
            }
            previous = isWord ? c : nil
        }
        return out
    }

    /// Wildcard match: `*` is any run of bytes; everything else matches itself.
    package static func glob(_ text: ArraySlice<UInt8>, _ pattern: ArraySlice<UInt8>) -> Bool {
        let star = UInt8(ascii: "*")
        var t = text.startIndex, p = pattern.startIndex
        var starAt: Int?, resumeAt = text.startIndex
        while t < text.endIndex {
            if p < pattern.endIndex, pattern[p] == star {
                starAt = p
                resumeAt = t
                p += 1
            } else if p < pattern.endIndex, pattern[p] == text[t] {
                p += 1
                t += 1
            } else if let s = starAt {
                p = s + 1
                resumeAt += 1
                t = resumeAt
            } else {
                return false
            }
        }
        while p < pattern.endIndex, pattern[p] == star { p += 1 }
        return p == pattern.endIndex
    }
}
