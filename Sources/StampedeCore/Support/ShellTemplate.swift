import Foundation

/// How reproducer scripts and printed curl commands spell a template's `{{variables}}` in bash.
///
/// Each variable lives in one shell variable: `secret.NAME` in `STAMPEDE_SECRET_NAME` (read from
/// the environment), built-ins in upper case (`vu.username` → `VU_USERNAME`, `random.uuid` →
/// `RANDOM_UUID`), `cookie.NAME` in `cookie_NAME` (read from the script's cookie jar), and every
/// extracted variable in `v_NAME`.
package enum ShellTemplate {
    /// How a substituted value is encoded where it lands (as the replayer encodes it).
    package enum Encoding: Sendable {
        /// Verbatim (headers, plain bodies).
        case raw
        /// Percent-encoded (paths, form bodies).
        case percent
        /// Escaped as the content of a JSON string.
        case json
    }

    /// The shell variable that holds a template variable.
    package static func variable(for name: some StringProtocol) -> String {
        if let secret = SecretName.name(ofVariable: name) { return SecretName.environmentVariable(for: secret) }
        if name.hasPrefix("cookie.") { return "cookie_" + sanitized(name.dropFirst("cookie.".count)) }
        if BuiltinVariables.isBuiltin(name) || name.hasPrefix("vu.") { return sanitized(name).uppercased() }
        return "v_" + sanitized(name)
    }

    /// A template string as a bash word: literal text kept byte for byte, each variable an
    /// expansion of its shell variable, encoded as `encoding` says.
    package static func word(_ template: String, encoding: Encoding) -> ShellWord {
        var word = ShellWord()
        var rest = template[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            word.append(literal: rest[..<open.lowerBound])
            let name = String(rest[open.upperBound..<close.lowerBound]).trimmingCharacters(in: " ")
            word.parts.append(.expansion(expansion(of: "${" + variable(for: name) + "}", encoding: encoding)))
            rest = rest[close.upperBound...]
        }
        word.append(literal: rest)
        return word
    }

    /// `${X}` as it lands: `$(enc "${X}")` for percent-encoding, `$(jstr "${X}")` for JSON.
    package static func expansion(of reference: String, encoding: Encoding) -> String {
        switch encoding {
        case .raw: reference
        case .percent: "$(enc \"" + reference + "\")"
        case .json: "$(jstr \"" + reference + "\")"
        }
    }

    /// The variables of a template string, in order, without duplicates.
    package static func variables(in template: String) -> [String] {
        var names: [String] = []
        for name in Template.variables(in: template) where !names.contains(String(name)) { names.append(String(name)) }
        return names
    }

    static func sanitized(_ name: some StringProtocol) -> String {
        String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }
}

extension String {
    func trimmingCharacters(in character: Character) -> String {
        var s = self[...]
        while s.first == character { s = s.dropFirst() }
        while s.last == character { s = s.dropLast() }
        return String(s)
    }
}
