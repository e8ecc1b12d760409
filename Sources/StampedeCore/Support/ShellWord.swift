import Foundation

/// One bash word built from literal bytes and expansions, quoted so that bash passes exactly
/// those bytes: literal runs single-quoted (or `$'\xNN'` when they hold control bytes or invalid
/// UTF-8), expansions double-quoted (`"${VU_USERNAME}"`, `"$(enc "${v_id}")"`).
package struct ShellWord: Sendable, Equatable {
    package enum Part: Sendable, Equatable {
        case literal([UInt8])
        /// Shell text placed inside double quotes: `${NAME}` or `$(command …)`.
        case expansion(String)
    }

    package var parts: [Part] = []

    package init(_ parts: [Part] = []) {
        self.parts = parts
    }

    package init(literal text: some StringProtocol) {
        parts = [.literal(Array(text.utf8))]
    }

    /// Text where every `$STAMPEDE_SECRET_NAME` becomes an expansion of that variable (how
    /// redacted secrets are shown), everything else literal.
    package init(placeholders text: String) {
        let prefix = "$" + SecretName.environmentPrefix
        var rest = text[...]
        while let start = rest.range(of: prefix) {
            var end = start.upperBound
            while end < rest.endIndex, Self.isNameCharacter(rest[end]) { end = rest.index(after: end) }
            append(literal: rest[..<start.lowerBound])
            parts.append(.expansion("${" + rest[rest.index(after: start.lowerBound)..<end] + "}"))
            rest = rest[end...]
        }
        append(literal: rest)
    }

    package mutating func append(literal text: some StringProtocol) {
        append(bytes: Array(text.utf8))
    }

    package mutating func append(bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        if case .literal(let previous)? = parts.last {
            parts[parts.count - 1] = .literal(previous + bytes)
        } else {
            parts.append(.literal(bytes))
        }
    }

    package mutating func append(_ other: ShellWord) {
        for part in other.parts {
            switch part {
            case .literal(let bytes): append(bytes: bytes)
            case .expansion: parts.append(part)
            }
        }
    }

    /// Whether the word is only literal bytes.
    package var isLiteral: Bool {
        !parts.contains { if case .expansion = $0 { true } else { false } }
    }

    /// The word as bash source.
    package var quoted: String {
        guard !parts.isEmpty else { return "''" }
        if parts.count == 1, case .literal(let bytes) = parts[0], !bytes.isEmpty, bytes.allSatisfy(Self.isBare) {
            return String(decoding: bytes, as: UTF8.self)
        }
        var out = ""
        for part in parts {
            switch part {
            case .literal(let bytes): out += Self.quote(bytes)
            case .expansion(let text): out += "\"" + text + "\""
            }
        }
        return out
    }

    /// Single quotes, or ANSI-C quoting for bytes a terminal or `'…'` cannot carry as they are.
    static func quote(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self),
            !text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" || $0.value == 0x7F })
        {
            return "'" + text.replacingAll("'", with: "'\\''") + "'"
        }
        var out = "$'"
        for b in bytes {
            if b >= 0x20 && b < 0x7F && b != UInt8(ascii: "'") && b != UInt8(ascii: "\\") {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                let hex = String(b, radix: 16)
                out += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out + "'"
    }

    /// Bytes that need no quoting at all.
    static func isBare(_ b: UInt8) -> Bool {
        PercentEncoding.isUnreserved(b) || b == UInt8(ascii: "/") || b == UInt8(ascii: ":")
            || b == UInt8(ascii: "=") || b == UInt8(ascii: ",") || b == UInt8(ascii: "@")
    }

    static func isNameCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isUppercase || c.isNumber || c == "_")
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
