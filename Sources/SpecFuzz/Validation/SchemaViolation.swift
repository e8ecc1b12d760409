public import StampedeCore

/// The JSON Schema keyword a value breaks (also the label of a negative value: the one constraint it violates).
///
/// `const` is folded into `enum` (OpenAPIKit models both as allowed values), and the exclusive
/// bounds into `minimum`/`maximum` (the reason says "exclusive").
public enum SchemaConstraint: String, Hashable, Sendable, CaseIterable, Codable {
    case type, `enum`, required, additionalProperties, minProperties, maxProperties
    case minimum, maximum, multipleOf, minLength, maxLength, pattern, format
    case minItems, maxItems, uniqueItems, allOf, anyOf, oneOf, not
}

/// One way a JSON value fails its schema: where (a JSON pointer into the value) and why, in one line.
public struct SchemaViolation: Hashable, Sendable, CustomStringConvertible {
    /// Where in the validated value the violation is (the root is the empty pointer).
    public var pointer: JSONPointer
    /// The keyword violated.
    public var constraint: SchemaConstraint
    /// One line saying why, long values abbreviated with their size.
    public var reason: String
    /// A JSON Schema holding only the keyword broken (`{"type":["string"]}`, `{"required":["id"]}`), which
    /// the value at ``pointer`` breaks: what a reproducer re-checks. For `oneOf`, `anyOf` and `not`,
    /// whose subschemas a script cannot judge, `{"x-kind":"object"}`: the value's JSON kind.
    public var test: JSONValue

    /// Creates a violation.
    public init(pointer: JSONPointer, constraint: SchemaConstraint, reason: String, test: JSONValue) {
        self.pointer = pointer
        self.constraint = constraint
        self.reason = reason
        self.test = test
    }

    /// `/alerts/0/labels: type: expected object, got string "x"` — at most 200 columns.
    public var description: String {
        let at = pointer.tokens.isEmpty ? "(root)" : ReportText.middleAbbreviated(pointer.description, limit: 60)
        return ReportText.abbreviated(at + ": " + constraint.rawValue + ": " + reason, limit: ReportText.maxColumns)
    }
}

extension JSONValue {
    /// The value as a person reads it in a reason: JSON text, abbreviated with its size past 40 columns.
    var quoted: String {
        ReportText.abbreviated(serialized(), limit: 40)
    }

    /// `string "abc"`, `number 3`, `object`, for type messages.
    var kindAndValue: String {
        switch self {
        case .array(let items): "array of \(items.count)"
        case .object(let members): "object of \(members.count)"
        default: kind.rawValue + " " + quoted
        }
    }
}

extension SchemaViolation {
    /// `/items/*/id: required`: the pointer (array indices as `*`) and the keyword, without values,
    /// so the same defect gives the same text on every response.
    public var signature: String {
        let general = Self.anyIndex(pointer)
        let at = general.tokens.isEmpty ? "(root)" : ReportText.middleAbbreviated(general.description, limit: 80)
        return at + ": " + constraint.rawValue
    }

    /// The reproducer's check: the signature's pointer and ``test``.
    public var bodyCheck: BodyCheck {
        BodyCheck(pointer: Self.anyIndex(pointer).description, schema: test.serialized())
    }

    /// `pointer` with every array index replaced by `*`: one place whatever element breaks it.
    static func anyIndex(_ pointer: JSONPointer) -> JSONPointer {
        JSONPointer(tokens: pointer.tokens.map { token in token.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && !token.isEmpty ? "*" : token })
    }
}

extension JSONValue {
    /// `{"name": value}`: a schema of one keyword, a violation's ``SchemaViolation/test``.
    static func keyword(_ name: String, _ value: JSONValue) -> JSONValue {
        .object([JSONMember(name, value)])
    }

    /// `{"x-kind": "string"}`: the test of a violation a script cannot re-judge (`oneOf`, `anyOf`, `not`):
    /// the value is of the same JSON kind (`null`, `boolean`, `number`, `string`, `array`, `object`).
    var kindTest: JSONValue {
        .keyword("x-kind", .string(kind == .bool ? "boolean" : kind.rawValue))
    }
}
