public import StampedeCore

/// The shape of a *valid* JSON input, from which a property check draws random variants and
/// within which it shrinks a failing one.
///
/// A schema comes from three places: a JSON Schema subset (``init(jsonSchema:)``), inference from
/// a recorded exemplar body (``inferred(from:)``), or Swift code (``PropertyStrategies``). Every
/// node may remember the value it was inferred from; generation keeps that exemplar value part of
/// the time, so variants stay close to the recording (a `"lang": "python"` the server insists on
/// survives while its neighbours vary).
///
/// ```swift
/// let schema = PropertySchema.object([
///     .init("username", .string(PropertyStringRule(length: 1...32, alphabet: .nonSpace))),
///     .init("age", .integer(0...150), required: false),
/// ])
/// var rng = SeededGenerator(seed: 7)
/// let value = schema.generate(using: &rng)   // e.g. {"username":"ǅx~"}
/// schema.conforms(value)                      // true
/// ```
public struct PropertySchema: Hashable, Sendable {
    /// What kind of value the node holds.
    public indirect enum Shape: Hashable, Sendable {
        /// Any JSON value, nested at most `depth` levels (used where a schema says nothing).
        case any(depth: Int)
        /// Only `null`.
        case null
        /// `true` or `false`.
        case boolean
        /// An integer in the range.
        case integer(ClosedRange<Int>)
        /// A finite number in the range.
        case number(ClosedRange<Double>)
        /// A string following the rule.
        case string(PropertyStringRule)
        /// One of the listed values (JSON Schema `enum`/`const`).
        case oneOf([JSONValue])
        /// An array of `items` with a count in `count`.
        case array(items: PropertySchema, count: ClosedRange<Int>)
        /// An object with known fields; members not listed are not generated.
        case object([PropertyField])
        /// An object used as a dictionary: unique keys following `keys`, values following `values`.
        case map(keys: PropertyStringRule, values: PropertySchema, count: ClosedRange<Int>)
    }

    /// The node's shape.
    public var shape: Shape
    /// Whether `null` is also valid here.
    public var nullable: Bool
    /// The recorded value this node was inferred from, kept by generation part of the time.
    public var exemplar: JSONValue?

    /// Creates a schema node.
    public init(_ shape: Shape, nullable: Bool = false, exemplar: JSONValue? = nil) {
        self.shape = shape
        self.nullable = nullable
        self.exemplar = exemplar
    }

    /// A string node.
    public static func string(_ rule: PropertyStringRule = PropertyStringRule()) -> PropertySchema {
        PropertySchema(.string(rule))
    }

    /// An integer node.
    public static func integer(_ range: ClosedRange<Int> = Int(Int32.min)...Int(Int32.max)) -> PropertySchema {
        PropertySchema(.integer(range))
    }

    /// An object node with known fields.
    public static func object(_ fields: [PropertyField]) -> PropertySchema {
        PropertySchema(.object(fields))
    }

    /// An array node.
    public static func array(_ items: PropertySchema, count: ClosedRange<Int> = 0...8) -> PropertySchema {
        PropertySchema(.array(items: items, count: count))
    }

    /// A dictionary node (an object with arbitrary keys).
    public static func map(
        keys: PropertyStringRule = PropertyStringRule(), values: PropertySchema, count: ClosedRange<Int> = 0...8
    ) -> PropertySchema {
        PropertySchema(.map(keys: keys, values: values, count: count))
    }

    /// An enumeration node.
    public static func oneOf(_ values: [JSONValue]) -> PropertySchema {
        PropertySchema(.oneOf(values))
    }

    /// Any JSON value up to `depth` levels deep.
    public static func any(depth: Int = 3) -> PropertySchema {
        PropertySchema(.any(depth: depth))
    }

    /// The same node, also accepting `null`.
    public var orNull: PropertySchema {
        var copy = self
        copy.nullable = true
        return copy
    }
}

/// One known member of an object schema.
public struct PropertyField: Hashable, Sendable {
    /// The member's key.
    public var name: String
    /// The member's value schema.
    public var schema: PropertySchema
    /// A required member is always present; an optional one may be missing (and shrinks away).
    public var required: Bool

    /// Creates a field.
    public init(_ name: String, _ schema: PropertySchema, required: Bool = true) {
        self.name = name
        self.schema = schema
        self.required = required
    }
}

/// Length, alphabet and format of a generated string (lengths count Unicode scalars, as JSON Schema does).
public struct PropertyStringRule: Hashable, Sendable {
    /// Which characters may appear.
    public enum Alphabet: String, Hashable, Sendable {
        /// Any Unicode scalar (control characters, astral planes and odd spaces included).
        case any
        /// Any Unicode scalar that is not white space.
        case nonSpace
        /// Printable ASCII (`0x20…0x7E`).
        case printableASCII
    }

    /// A higher-level shape the text must keep.
    public enum Format: String, Hashable, Sendable {
        /// Email-like: exactly one `@` with something on both sides; the parts are arbitrary text.
        case email
        /// A UUID in its 36-character hyphenated hex form (either case).
        case uuid
        /// An ISO 8601 calendar date, `YYYY-MM-DD`.
        case date
        /// An RFC 3339 date-time, `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
        case dateTime = "date-time"
    }

    /// Allowed lengths, in Unicode scalars.
    public var length: ClosedRange<Int>
    /// Allowed characters.
    public var alphabet: Alphabet
    /// Optional format.
    public var format: Format?

    /// Creates a rule; the default is 0–64 arbitrary scalars.
    public init(length: ClosedRange<Int> = 0...64, alphabet: Alphabet = .any, format: Format? = nil) {
        self.length = length
        self.alphabet = alphabet
        self.format = format
    }

    /// Whether `scalar` belongs to the alphabet.
    public func allows(_ scalar: Unicode.Scalar) -> Bool {
        switch alphabet {
        case .any: true
        case .nonSpace: !scalar.properties.isWhitespace
        case .printableASCII: scalar.value >= 0x20 && scalar.value <= 0x7E
        }
    }

    /// Whether `text` satisfies length, alphabet and format.
    public func accepts(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        guard length.contains(scalars.count), scalars.allSatisfy(allows) else { return false }
        switch format {
        case nil: return true
        case .email:
            // Scalars, not Characters: a combining mark after `@` must not hide it.
            let parts = text.unicodeScalars.split(separator: "@", omittingEmptySubsequences: false)
            return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
        case .uuid: return StringFormats.isUUID(text)
        case .date: return StringFormats.isDate(text)
        case .dateTime: return StringFormats.isDateTime(text)
        }
    }
}
