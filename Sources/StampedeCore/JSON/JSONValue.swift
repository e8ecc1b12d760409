/// A JSON document as an ordered tree that re-serializes byte-for-byte like the text it came from.
///
/// Unlike `JSONSerialization`/`Codable`, this keeps what fuzzing and correlation need:
/// object members stay in their original order and may repeat a key, and numbers keep their
/// original text (so `1.0`, `1e2` and `18446744073709551616` survive a round trip unchanged).
///
/// ```swift
/// let value = try JSONValue(parsing: #"{"id": 7, "tags": ["a"]}"#)
/// value[pointer: "/tags/0"]      // .string("a")
/// value.serialized()             // {"id":7,"tags":["a"]}
/// ```
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    /// Members in document order; duplicate keys are kept.
    case object([JSONMember])

    /// A number value from an integer.
    public static func int(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }

    /// A number value from a double (non-finite values produce invalid JSON text on purpose).
    public static func double(_ value: Double) -> JSONValue { .number(JSONNumber(value)) }

    /// The kind of value, for schemas, shapes and messages.
    public var kind: Kind {
        switch self {
        case .null: .null
        case .bool: .bool
        case .number: .number
        case .string: .string
        case .array: .array
        case .object: .object
        }
    }

    /// The kinds of JSON values.
    public enum Kind: String, Hashable, Sendable, CaseIterable, Codable {
        case null, bool, number, string, array, object
    }

    /// The string payload, if this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The numeric payload, if this is a number.
    public var doubleValue: Double? {
        if case .number(let n) = self { return n.value }
        return nil
    }

    /// The boolean payload, if this is a bool.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The members, if this is an object.
    public var objectMembers: [JSONMember]? {
        if case .object(let m) = self { return m }
        return nil
    }

    /// The value of the first member named `key`, if this is an object holding one.
    public subscript(key key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The text a scalar would contribute to a string template: strings unquoted, numbers as
    /// written, `true`/`false`, `null`; containers as compact JSON.
    public var scalarText: String {
        switch self {
        case .string(let s): s
        case .number(let n): n.text
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        case .array, .object: serialized()
        }
    }

    /// Number of nodes in the tree (this value included).
    public var nodeCount: Int {
        switch self {
        case .array(let items): items.reduce(1) { $0 + $1.nodeCount }
        case .object(let members): members.reduce(1) { $0 + $1.value.nodeCount }
        default: 1
        }
    }

    /// Nesting depth: 1 for a scalar or an empty container.
    public var depth: Int {
        switch self {
        case .array(let items): 1 + (items.map(\.depth).max() ?? 0)
        case .object(let members): 1 + (members.map(\.value.depth).max() ?? 0)
        default: 1
        }
    }
}

/// One `"key": value` member of a JSON object.
public struct JSONMember: Hashable, Sendable {
    /// The member name.
    public var key: String
    /// The member value.
    public var value: JSONValue

    /// Creates a member.
    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

/// A JSON number: the exact text it is written as, plus its value as a `Double`.
///
/// Equality compares the text, so `1.0` and `1` are different numbers (they serialize
/// differently). `text` is written verbatim by the serializer; the parser only produces valid
/// number text, but callers may build invalid text on purpose (`NaN`, `1e999999`) to fuzz a target.
public struct JSONNumber: Hashable, Sendable, CustomStringConvertible {
    /// The text written on the wire.
    public let text: String
    /// The value of `text` (`nan` when the text is not a number).
    public let value: Double

    /// A number from its text; `value` is parsed from it.
    public init(text: String) {
        self.text = text
        self.value = Double(text) ?? .nan
    }

    /// A number with explicit text and value (the parser's path, which has validated both).
    public init(text: String, value: Double) {
        self.text = text
        self.value = value
    }

    /// An integer number, written in decimal.
    public init(_ value: Int) {
        self.text = String(value)
        self.value = Double(value)
    }

    /// Finite doubles use Swift's shortest round-trip form; integral ones print without `.0`
    /// when they fit exactly, so `JSONNumber(3.0).text == "3"`.
    public init(_ value: Double) {
        if value.isFinite, value == value.rounded(), abs(value) < 9.007_199_254_740_992e15 {
            self.text = String(Int64(value))
        } else if value.isNaN {
            self.text = "NaN"
        } else if value.isInfinite {
            self.text = value < 0 ? "-Infinity" : "Infinity"
        } else {
            self.text = value.description
        }
        self.value = value
    }

    /// Whether the text is an integer literal (no fraction or exponent).
    public var isInteger: Bool {
        var utf8 = text.utf8[...]
        if utf8.first == UInt8(ascii: "-") { utf8 = utf8.dropFirst() }
        return !utf8.isEmpty && utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// The number's text.
    public var description: String { text }

    /// Numbers are equal when their texts are.
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool { lhs.text == rhs.text }
    /// Hashes the text, consistently with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }
}

extension JSONValue {
    /// Whether the value is an array or an object.
    package var isContainer: Bool {
        switch self {
        case .array, .object: true
        default: false
        }
    }
}
