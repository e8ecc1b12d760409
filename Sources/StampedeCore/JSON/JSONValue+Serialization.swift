/// Compact, deterministic serialization: no whitespace, members in stored order, numbers as
/// their stored text, strings escaping only `"`, `\` and control characters (as `\n`, `\t`, … or
/// `\u00XX`); all other characters are written as UTF-8.
extension JSONValue {
    /// The compact JSON text of this value.
    public func serialized() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        write(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The compact JSON text of this value, as UTF-8 bytes.
    public func serializedBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        write(to: &out)
        return out
    }

    /// Appends the compact JSON text of this value to `out`.
    public func write(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: b ? "true".utf8 : "false".utf8)
        case .number(let n): out.append(contentsOf: n.text.utf8)
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            // Indices rather than `enumerated()`: no retain and release of every element on the way.
            for i in items.indices {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                items[i].write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for i in members.indices {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.writeString(members[i].key, to: &out)
                out.append(UInt8(ascii: ":"))
                members[i].value.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Escapes a string for the inside of a JSON string literal (no surrounding quotes), e.g. to
    /// substitute a variable into a templated JSON body.
    public static func escapedStringContent(_ string: String) -> String {
        guard string.utf8.contains(where: { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 }) else { return string }
        var out: [UInt8] = []
        writeString(string, to: &out)
        return String(decoding: out.dropFirst().dropLast(), as: UTF8.self)
    }

    /// Appends a quoted, escaped JSON string.
    public static func writeString(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Runs that need no escape are copied whole rather than appended byte by byte.
        var text = string
        text.withUTF8 { bytes in
            var start = 0
            for i in bytes.indices where bytes[i] == 0x22 || bytes[i] == 0x5C || bytes[i] < 0x20 {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                writeEscape(bytes[i], to: &out)
                start = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends the escape of one byte that JSON does not allow raw in a string.
    static func writeEscape(_ byte: UInt8, to out: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): out.append(0x5C); out.append(byte)
        case UInt8(ascii: "\\"): out.append(0x5C); out.append(byte)
        case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
        case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
        case 0x08: out.append(0x5C); out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(0x5C); out.append(UInt8(ascii: "f"))
        case 0..<0x20:
            out.append(contentsOf: "\\u00".utf8)
            out.append(hex(byte >> 4))
            out.append(hex(byte & 0xF))
        default: out.append(byte)
        }
    }

    private static func hex(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x61 + v - 10 }
}

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text.
    public var description: String { serialized() }
}
