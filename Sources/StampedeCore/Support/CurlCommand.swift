public import StampedeHTTP

/// Renders a request as a ready-to-paste `curl` command (POSIX shell quoting).
public enum CurlCommand {
    /// - Parameters:
    ///   - method: the method token, sent with `-X` (even invalid tokens).
    ///   - url: the absolute URL, query included.
    ///   - headers: sent with `-H`, in order.
    ///   - body: sent with `--data-binary`; bytes that are not UTF-8 are written as `$'\xNN'`.
    public static func render(method: String, url: String, headers: [HTTPHeader], body: [UInt8]) -> String {
        var parts = ["curl", "-sS", "-i", "-X", quote(method)]
        for header in headers {
            parts.append("-H")
            parts.append(quote(header.name + ": " + header.value))
        }
        if !body.isEmpty {
            parts.append("--data-binary")
            if let text = String(validating: body, as: UTF8.self), !text.contains(where: isControl) {
                parts.append(quote(text))
            } else {
                parts.append(ansiQuote(body))
            }
        }
        parts.append(quote(url))
        return parts.joined(separator: " ")
    }

    /// Single-quotes a string for a POSIX shell.
    public static func quote(_ s: String) -> String {
        if !s.isEmpty, s.utf8.allSatisfy({ isSafe($0) }) { return s }
        return "'" + s.replacingAll("'", with: "'\\''") + "'"
    }

    static func ansiQuote(_ bytes: [UInt8]) -> String {
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

    static func isSafe(_ b: UInt8) -> Bool {
        PercentEncoding.isUnreserved(b) || b == UInt8(ascii: "/") || b == UInt8(ascii: ":")
            || b == UInt8(ascii: "=") || b == UInt8(ascii: ",") || b == UInt8(ascii: "@")
    }

    static func isControl(_ c: Character) -> Bool {
        c.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
