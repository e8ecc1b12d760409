import Foundation

/// Base64 helpers over Foundation, kept here so callers need not import it for one function.
package enum Base64 {
    package static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    package static func decode(_ string: String) -> [UInt8]? {
        Data(base64Encoded: string).map { Array($0) }
    }
}

/// Percent-encoding for query strings and path segments (RFC 3986).
package enum PercentEncoding {
    /// Encodes every byte except the unreserved set `A-Z a-z 0-9 - . _ ~`.
    package static func encode(_ string: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(string.utf8.count)
        for byte in string.utf8 {
            if isUnreserved(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%"
                out += hexDigit(byte >> 4)
                out += hexDigit(byte & 0xF)
            }
        }
        return out
    }

    /// Decodes `%XX` escapes (invalid ones are kept literally); invalid UTF-8 is repaired.
    package static func decode(_ string: some StringProtocol, plusAsSpace: Bool = false) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(string.utf8.count)
        var iterator = Array(string.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let high = hexValue(iterator[iterator.startIndex]),
                let low = hexValue(iterator[iterator.startIndex + 1])
            {
                bytes.append(high << 4 | low)
                iterator = iterator.dropFirst(2)
            } else if plusAsSpace, byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Percent-encodes the bytes libcurl refuses in a URL path (space, controls, non-ASCII,
    /// `"<>\\^`{|}` and `#`), leaving everything else — `%`, `..`, `;` — exactly as it is.
    package static func sendablePath(_ path: String) -> String {
        let utf8 = path.utf8
        guard utf8.contains(where: needsEncodingInPath) else { return path }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count + 16)
        let hex = Array("0123456789ABCDEF".utf8)
        for b in utf8 {
            if needsEncodingInPath(b) {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func needsEncodingInPath(_ b: UInt8) -> Bool {
        switch b {
        case 0...0x20, 0x7F...0xFF: true
        case UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\\"), UInt8(ascii: "^"),
            UInt8(ascii: "`"), UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "#"):
            true
        default: false
        }
    }

    static func isUnreserved(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
            || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E
    }

    static func hexDigit(_ v: UInt8) -> String {
        String(UnicodeScalar(v < 10 ? 0x30 + v : 0x41 + v - 10))
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }
}
