/// A strict RFC 8259 parser from UTF-8 bytes to `JSONValue`.
///
/// It rejects invalid UTF-8, control characters in strings, leading zeros, trailing garbage and
/// nesting deeper than `maximumDepth`, reporting the byte offset of the problem. With
/// `allowsTemplatePlaceholders`, a bare `{{name}}` where a value is expected (as corpus templates
/// write `{"id": {{script_id}}}`) becomes a number whose text is the placeholder, so it
/// re-serializes unchanged.
///
/// ```swift
/// let value = try JSONParser().parse(Array(#"[1, "two", null]"#.utf8))
/// ```
public struct JSONParser: Sendable {
    /// Nesting limit for arrays and objects; deeper input fails with `.tooDeep`.
    public var maximumDepth: Int
    /// Accept bare `{{name}}` placeholders as values (see the type's documentation).
    public var allowsTemplatePlaceholders: Bool

    /// Creates a parser; the defaults suit untrusted input.
    public init(maximumDepth: Int = 512, allowsTemplatePlaceholders: Bool = false) {
        self.maximumDepth = maximumDepth
        self.allowsTemplatePlaceholders = allowsTemplatePlaceholders
    }

    /// Parses one JSON text (surrounding whitespace allowed).
    /// - Throws: `JSONParseError` naming the byte offset.
    public func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        if let result = bytes.withContiguousStorageIfAvailable({ buffer in
            Result { () throws(JSONParseError) -> JSONValue in try parse(buffer: buffer) }
        }) {
            return try result.get()
        }
        let result = Array(bytes).withUnsafeBufferPointer { buffer in
            Result { () throws(JSONParseError) -> JSONValue in try parse(buffer: buffer) }
        }
        return try result.get()
    }

    /// Parses the UTF-8 of a string.
    public func parse(_ string: String) throws(JSONParseError) -> JSONValue {
        var string = string
        let result = string.withUTF8 { buffer in
            Result { () throws(JSONParseError) -> JSONValue in try parse(buffer: buffer) }
        }
        return try result.get()
    }

    func parse(buffer: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        var reader = Reader(
            bytes: buffer, maximumDepth: maximumDepth, placeholders: allowsTemplatePlaceholders)
        reader.skipWhitespace()
        let value = try reader.parseValue(depth: 0)
        reader.skipWhitespace()
        if reader.index != buffer.count {
            throw JSONParseError(.trailingData, offset: reader.index)
        }
        return value
    }
}

extension JSONValue {
    /// Parses a JSON text with the default parser settings.
    public init(parsing string: String) throws(JSONParseError) {
        self = try JSONParser().parse(string)
    }

    /// Parses JSON bytes with the default parser settings.
    public init(parsing bytes: [UInt8]) throws(JSONParseError) {
        self = try JSONParser().parse(bytes)
    }
}

/// Why and where a JSON text failed to parse.
public struct JSONParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kinds of parse failure.
    public enum Reason: String, Hashable, Sendable {
        case unexpectedEnd = "unexpected end of input"
        case unexpectedCharacter = "unexpected character"
        case invalidNumber = "invalid number"
        case invalidEscape = "invalid escape sequence"
        case invalidUnicodeEscape = "invalid \\u escape"
        case controlCharacterInString = "unescaped control character in string"
        case invalidUTF8 = "invalid UTF-8"
        case tooDeep = "nesting too deep"
        case trailingData = "data after the JSON value"
    }

    /// What went wrong.
    public var reason: Reason
    /// Byte offset into the input where the problem was found.
    public var offset: Int

    /// Creates an error at a byte offset.
    public init(_ reason: Reason, offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// `reason at byte N`.
    public var description: String { "\(reason.rawValue) at byte \(offset)" }
}

private struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    let maximumDepth: Int
    let placeholders: Bool
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int, placeholders: Bool) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
        self.placeholders = placeholders
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    func peek() throws(JSONParseError) -> UInt8 {
        guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, offset: index) }
        return bytes[index]
    }

    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        switch try peek() {
        case UInt8(ascii: "{"):
            if placeholders, index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "{") {
                return try parsePlaceholder()
            }
            return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw JSONParseError(.unexpectedCharacter, offset: index)
        }
    }

    mutating func parsePlaceholder() throws(JSONParseError) -> JSONValue {
        let start = index
        index += 2
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "}") && bytes[index + 1] == UInt8(ascii: "}") {
                index += 2
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                return .number(JSONNumber(text: text, value: .nan))
            }
            if bytes[index] == UInt8(ascii: "\n") { break }
            index += 1
        }
        throw JSONParseError(.unexpectedCharacter, offset: start)
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw JSONParseError(.unexpectedEnd, offset: index) }
        let pointer = literal.utf8Start
        for i in 0..<count where bytes[index + i] != pointer[i] {
            throw JSONParseError(.unexpectedCharacter, offset: index + i)
        }
        index += count
    }

    mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        if depth > maximumDepth { throw JSONParseError(.tooDeep, offset: index) }
        index += 1
        var members: [JSONMember] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard try peek() == UInt8(ascii: "\"") else { throw JSONParseError(.unexpectedCharacter, offset: index) }
            let key = try parseString()
            skipWhitespace()
            guard try peek() == UInt8(ascii: ":") else { throw JSONParseError(.unexpectedCharacter, offset: index) }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            members.append(JSONMember(key, value))
            skipWhitespace()
            let next = try peek()
            index += 1
            if next == UInt8(ascii: ",") { continue }
            if next == UInt8(ascii: "}") { return .object(members) }
            throw JSONParseError(.unexpectedCharacter, offset: index - 1)
        }
    }

    mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        if depth > maximumDepth { throw JSONParseError(.tooDeep, offset: index) }
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth))
            skipWhitespace()
            let next = try peek()
            index += 1
            if next == UInt8(ascii: ",") { continue }
            if next == UInt8(ascii: "]") { return .array(items) }
            throw JSONParseError(.unexpectedCharacter, offset: index - 1)
        }
    }

    mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = index
        func digit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, digit(bytes[index]) else { throw JSONParseError(.invalidNumber, offset: index) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, digit(bytes[index]) { throw JSONParseError(.invalidNumber, offset: index) }
        } else {
            while index < bytes.count, digit(bytes[index]) { index += 1 }
        }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, digit(bytes[index]) else { throw JSONParseError(.invalidNumber, offset: index) }
            while index < bytes.count, digit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, digit(bytes[index]) else { throw JSONParseError(.invalidNumber, offset: index) }
            while index < bytes.count, digit(bytes[index]) { index += 1 }
        }
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
        let text = String(decoding: slice, as: UTF8.self)
        // Small integers are exact in Int; skip the slower general parse for them.
        if isInteger, slice.count < 16, let int = Int(text) {
            return JSONNumber(text: text, value: Double(int))
        }
        return JSONNumber(text: text, value: Double(text) ?? .nan)
    }

    mutating func parseString() throws(JSONParseError) -> String {
        index += 1  // opening quote
        let start = index
        // Fast path: no escapes.
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                guard let s = String(validating: slice, as: UTF8.self) else {
                    throw JSONParseError(.invalidUTF8, offset: start)
                }
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw JSONParseError(.controlCharacterInString, offset: index) }
            index += 1
        }
        guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, offset: index) }
        var buffer = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                index += 1
                guard let s = String(validating: buffer, as: UTF8.self) else {
                    throw JSONParseError(.invalidUTF8, offset: start)
                }
                return s
            }
            if b < 0x20 { throw JSONParseError(.controlCharacterInString, offset: index) }
            if b != UInt8(ascii: "\\") {
                buffer.append(b)
                index += 1
                continue
            }
            index += 1
            try parseEscape(into: &buffer)
        }
        throw JSONParseError(.unexpectedEnd, offset: index)
    }

    /// One escape sequence after its backslash (a `\u` pair for a surrogate), appended as UTF-8.
    mutating func parseEscape(into buffer: inout [UInt8]) throws(JSONParseError) {
        guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, offset: index) }
        let escape = bytes[index]
        index += 1
        switch escape {
        case UInt8(ascii: "\""): buffer.append(0x22)
        case UInt8(ascii: "\\"): buffer.append(0x5C)
        case UInt8(ascii: "/"): buffer.append(0x2F)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4()
            if scalar >= 0xD800 && scalar < 0xDC00 {
                // A high surrogate must be followed by an escaped low surrogate.
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw JSONParseError(.invalidUnicodeEscape, offset: index)
                }
                index += 2
                let low = try parseHex4()
                guard low >= 0xDC00 && low < 0xE000 else { throw JSONParseError(.invalidUnicodeEscape, offset: index - 4) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00 && scalar < 0xE000 {
                throw JSONParseError(.invalidUnicodeEscape, offset: index - 4)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw JSONParseError(.invalidUnicodeEscape, offset: index - 4) }
            appendUTF8(unicode, to: &buffer)
        default:
            throw JSONParseError(.invalidEscape, offset: index - 1)
        }
    }

    mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw JSONParseError(.unexpectedEnd, offset: index) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            let digit: UInt32
            switch b {
            case 0x30...0x39: digit = UInt32(b - 0x30)
            case 0x41...0x46: digit = UInt32(b - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(b - 0x61 + 10)
            default: throw JSONParseError(.invalidUnicodeEscape, offset: index)
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }
}

/// Appends the UTF-8 encoding of a scalar.
func appendUTF8(_ scalar: Unicode.Scalar, to buffer: inout [UInt8]) {
    let v = scalar.value
    switch v {
    case 0..<0x80:
        buffer.append(UInt8(v))
    case 0x80..<0x800:
        buffer.append(UInt8(0xC0 | (v >> 6)))
        buffer.append(UInt8(0x80 | (v & 0x3F)))
    case 0x800..<0x10000:
        buffer.append(UInt8(0xE0 | (v >> 12)))
        buffer.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
        buffer.append(UInt8(0x80 | (v & 0x3F)))
    default:
        buffer.append(UInt8(0xF0 | (v >> 18)))
        buffer.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
        buffer.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
        buffer.append(UInt8(0x80 | (v & 0x3F)))
    }
}
