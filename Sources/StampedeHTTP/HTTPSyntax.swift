/// RFC 9110 syntax checks shared by corpus validation and the engine's last check before sending.
package enum HTTPSyntax {
    /// True when `text` is a non-empty RFC 9110 `token` (what a method and a header name must be).
    package static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(isTokenByte)
    }

    /// True for an RFC 9110 `tchar`: a letter, digit or one of ``!#$%&'*+-.^_`|~``.
    package static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            Self.tokenSymbols.contains(byte)
        }
    }

    /// The first CR, LF or NUL in a header value (bytes that would end or cut the header line), else nil.
    package static func lineBreakingByte(in value: String) -> UInt8? {
        value.utf8.first { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }
    }

    /// Why `name: value` must not be sent as a header line, or nil when it is safe.
    package static func headerProblem(name: String, value: String) -> String? {
        if !isToken(name) { return "header name \(name.abbreviated(limit: 40).debugDescription) is not an RFC 9110 token" }
        if let byte = lineBreakingByte(in: value) {
            return "header \(name.abbreviated(limit: 40)) value contains \(controlName(byte))"
        }
        return nil
    }

    /// Why `method` must not be sent as a request method, or nil when it is a token.
    package static func methodProblem(_ method: String) -> String? {
        isToken(method) ? nil : "method \(method.abbreviated(limit: 40).debugDescription) is not an RFC 9110 token"
    }

    private static let tokenSymbols = Set("!#$%&'*+-.^_`|~".utf8)

    private static func controlName(_ byte: UInt8) -> String {
        switch byte {
        case 0x0D: "CR"
        case 0x0A: "LF"
        default: "NUL"
        }
    }
}

extension String {
    /// The text when it fits in `limit` characters, else its first `limit` characters and
    /// `…(N bytes)` with the whole size (for one-line messages).
    package func abbreviated(limit: Int) -> String {
        guard count > limit else { return self }
        return String(prefix(limit)) + "…(\(utf8.count.withThousandsSeparators) bytes)"
    }
}

extension Int {
    /// `100150` → `100,150`, without Foundation.
    package var withThousandsSeparators: String {
        let digits = String(magnitude)
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return (self < 0 ? "-" : "") + groups.joined(separator: ",")
    }
}
