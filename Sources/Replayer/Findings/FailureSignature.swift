public import StampedeClient
/// Identifies a bug: the same signature means the same failure of the same endpoint.
///
/// The signature is a 64-bit FNV-1a hash (16 hex digits) of the method, the endpoint template,
/// the failure class, the failure itself (status code or CURLcode name) and a normalized
/// fingerprint of the response body in which digits, UUIDs, hex runs and timestamps are
/// replaced by placeholders, so two answers that differ only in an ID or a time collide.
///
/// ```swift
/// let sig = FailureSignature(method: "POST", endpoint: "POST /api/v1/scripts", failureClass: .serverError,
///                            failure: "500", body: Array(#"{"detail":"boom at 12:00"}"#.utf8))
/// sig.value  // "3f0c…", stable across runs and machines
/// ```
public struct FailureSignature: Hashable, Sendable, CustomStringConvertible {
    /// 16 lowercase hex digits.
    public let value: String
    /// The normalized response fingerprint the hash covers.
    public let fingerprint: String

    /// The fingerprint looks at no more than this many bytes of the body.
    public static let fingerprintPrefix = 512

    /// The signature of a failure: method, endpoint, class, failure and the body's fingerprint.
    public init(method: String, endpoint: String, failureClass: FailureClass, failure: String, body: some Collection<UInt8>) {
        let fingerprint = Self.fingerprint(body)
        self.fingerprint = fingerprint
        var hash = FNV1a()
        for part in [method, endpoint, failureClass.rawValue, failure, fingerprint] {
            hash.add(part)
            hash.add(0)
        }
        value = hash.hex
    }

    /// The signature as hex.
    public var description: String { value }

    /// Normalizes a response body: `<n>` for numbers and timestamps, `<uuid>`, `<hex>`; whitespace
    /// runs collapse to one space. Only the first ``fingerprintPrefix`` bytes count.
    public static func fingerprint(_ body: some Collection<UInt8>) -> String {
        let bytes = Array(body.prefix(fingerprintPrefix))
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if let end = uuidEnd(bytes, at: i) {
                out += Array("<uuid>".utf8)
                i = end
            } else if isHexDigit(b), let end = hexRunEnd(bytes, at: i) {
                out += Array("<hex>".utf8)
                i = end
            } else if isDigit(b) {
                // Digits plus the separators of dates, times and decimals: one placeholder.
                var j = i + 1
                while j < bytes.count {
                    if isDigit(bytes[j]) {
                        j += 1
                    } else if j + 1 < bytes.count, isNumberSeparator(bytes[j]), isDigit(bytes[j + 1]) {
                        j += 2
                    } else {
                        break
                    }
                }
                if j < bytes.count, bytes[j] == UInt8(ascii: "Z") { j += 1 }
                out += Array("<n>".utf8)
                i = j
            } else if isSpace(b) {
                if out.last != UInt8(ascii: " ") { out.append(UInt8(ascii: " ")) }
                i += 1
            } else {
                out.append(b)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isHexDigit(_ b: UInt8) -> Bool { isDigit(b) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x66) }
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
    static func isWordByte(_ b: UInt8) -> Bool { isHexDigit(b) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b == 0x5F }

    static func isNumberSeparator(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "-") || b == UInt8(ascii: ":") || b == UInt8(ascii: ".") || b == UInt8(ascii: "T")
            || b == UInt8(ascii: "+") || b == UInt8(ascii: " ")
    }

    /// End of a `8-4-4-4-12` UUID starting at `i`, if one does.
    static func uuidEnd(_ bytes: [UInt8], at i: Int) -> Int? {
        let groups = [8, 4, 4, 4, 12]
        var j = i
        for (n, length) in groups.enumerated() {
            for _ in 0..<length {
                guard j < bytes.count, isHexDigit(bytes[j]) else { return nil }
                j += 1
            }
            if n < groups.count - 1 {
                guard j < bytes.count, bytes[j] == UInt8(ascii: "-") else { return nil }
                j += 1
            }
        }
        return j
    }

    /// End of a standalone run of 8+ hex digits holding at least one digit and one letter.
    static func hexRunEnd(_ bytes: [UInt8], at i: Int) -> Int? {
        if i > 0, isWordByte(bytes[i - 1]) { return nil }
        var j = i
        var digits = 0
        var letters = 0
        while j < bytes.count, isHexDigit(bytes[j]) {
            if isDigit(bytes[j]) { digits += 1 } else { letters += 1 }
            j += 1
        }
        guard j - i >= 8, digits > 0, letters > 0 else { return nil }
        if j < bytes.count, isWordByte(bytes[j]) { return nil }
        return j
    }
}

/// 64-bit FNV-1a: tiny, stable across platforms and Swift versions (unlike `Hasher`).
struct FNV1a {
    private(set) var state: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ byte: UInt8) {
        state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    mutating func add(_ string: String) {
        for b in string.utf8 { add(b) }
    }

    var hex: String {
        let s = String(state, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
