public import OpenAPIKit
public import StampedeCore

/// Validates JSON values against OpenAPIKit's dereferenced schemas (the JSON Schema 2020-12 subset
/// OpenAPI 3.1 documents use, as OpenAPIKit models it).
///
/// Checks type (with `nullable`/`null`), `enum`/`const`, `required`, `properties`,
/// `patternProperties`, `additionalProperties`, `min/maxProperties`, `items`, `min/maxItems`,
/// `uniqueItems`, `minimum`/`maximum` (inclusive and exclusive), `multipleOf`, `min/maxLength`
/// (in code points), `pattern` (an unanchored `NSRegularExpression` search), the formats
/// `date-time`, `date`, `time`, `uuid`, `email`, `ipv4`, `int32`, `int64` (other formats are
/// annotations and pass), and `allOf`/`anyOf`/`oneOf`/`not`.
///
/// ```swift
/// let schema = try JSONSchema.integer(minimum: (1, exclusive: false)).dereferenced(in: .noComponents)
/// SchemaValidator().validate(.int(0), against: schema)   // [/: minimum: 0 is less than the minimum 1]
/// ```
public struct SchemaValidator: Sendable {
    /// Whether `format` is checked (JSON Schema 2020-12 makes it an annotation unless asked).
    public var checksFormats: Bool

    /// Creates a validator; formats are checked by default.
    public init(checksFormats: Bool = true) {
        self.checksFormats = checksFormats
    }

    /// Every violation of `schema` by `value`, outermost first; empty when the value is valid.
    public func validate(_ value: JSONValue, against schema: DereferencedJSONSchema) -> [SchemaViolation] {
        var out: [SchemaViolation] = []
        check(value, schema, at: .root, into: &out)
        return out
    }

    /// Whether `value` is valid by `schema`.
    public func isValid(_ value: JSONValue, against schema: DereferencedJSONSchema) -> Bool {
        validate(value, against: schema).isEmpty
    }

    /// Checks one value. A value of the wrong type is reported as `type` alone: its `enum` is then
    /// not judged too, so a wrongly typed value breaks exactly one constraint and keeps one signature.
    func check(_ value: JSONValue, _ schema: DereferencedJSONSchema, at pointer: JSONPointer, into out: inout [SchemaViolation]) {
        let start = out.count
        if value != .null || !schema.nullable { checkTyped(value, schema, at: pointer, into: &out) }
        guard let allowed = schema.allowedValues else { return }
        if out.count > start, out[start].pointer == pointer, out[start].constraint == .type { return }
        let values = allowed.compactMap(JSONValue.init)
        if !values.contains(where: { $0.schemaEquals(value) }) {
            let listed = ReportText.abbreviated(values.map(\.scalarText).joined(separator: ", "), limit: 60)
            let test = JSONValue.keyword("enum", .array(values))
            out.insert(SchemaViolation(pointer: pointer, constraint: .enum, reason: "\(value.quoted) is not one of \(listed)", test: test), at: start)
        }
    }

    /// The type and the keywords of that type (everything but `enum`).
    func checkTyped(_ value: JSONValue, _ schema: DereferencedJSONSchema, at pointer: JSONPointer, into out: inout [SchemaViolation]) {
        func mismatch(_ expected: String) -> SchemaViolation {
            typeViolation(value, expected: expected, nullable: schema.nullable, at: pointer)
        }
        switch schema {
        case .null:
            if value != .null { out.append(mismatch("null")) }
        case .boolean:
            if value.boolValue == nil { out.append(mismatch("boolean")) }
        case .number(let core, let numeric):
            guard let n = value.doubleValue, !n.isNaN else { return out.append(mismatch("number")) }
            checkNumber(value, n, numeric.minimum.map { ($0.value, $0.exclusive) }, numeric.maximum.map { ($0.value, $0.exclusive) },
                        multipleOf: numeric.multipleOf, at: pointer, into: &out)
            checkFormat(value, core.format.rawValue, at: pointer, into: &out)
        case .integer(let core, let integer):
            guard value.isIntegral, let n = value.doubleValue else { return out.append(mismatch("integer")) }
            checkNumber(value, n, integer.minimum.map { (Double($0.value), $0.exclusive) }, integer.maximum.map { (Double($0.value), $0.exclusive) },
                        multipleOf: integer.multipleOf.map(Double.init), at: pointer, into: &out)
            checkFormat(value, core.format.rawValue, at: pointer, into: &out)
        case .string(let core, let string):
            guard let s = value.stringValue else { return out.append(mismatch("string")) }
            checkString(s, string, at: pointer, into: &out)
            checkFormat(value, core.format.rawValue, at: pointer, into: &out)
        case .object(_, let object):
            guard let members = value.objectMembers else { return out.append(mismatch("object")) }
            checkObject(members, object, at: pointer, into: &out)
        case .array(_, let array):
            guard let items = value.arrayValue else { return out.append(mismatch("array")) }
            checkArray(items, array, at: pointer, into: &out)
        case .all(let schemas, _):
            for sub in schemas { check(value, sub, at: pointer, into: &out) }
        case .one(let schemas, _), .any(let schemas, _):
            checkAlternatives(value, schema, schemas, at: pointer, into: &out)
        case .not(let sub, _):
            if validate(value, against: sub).isEmpty {
                out.append(SchemaViolation(pointer: pointer, constraint: .not, reason: "\(value.quoted) matches the schema it must not", test: value.kindTest))
            }
        case .fragment:
            return
        }
    }

    /// A `type` violation; its test allows `null` too when the schema is nullable.
    func typeViolation(_ value: JSONValue, expected: String, nullable: Bool, at pointer: JSONPointer) -> SchemaViolation {
        let types = [expected] + (nullable && expected != "null" ? ["null"] : [])
        let test = JSONValue.keyword("type", .array(types.map(JSONValue.string)))
        return SchemaViolation(pointer: pointer, constraint: .type, reason: "expected \(expected), got \(value.kindAndValue)", test: test)
    }

    func checkAlternatives(
        _ value: JSONValue, _ schema: DereferencedJSONSchema, _ schemas: [DereferencedJSONSchema], at pointer: JSONPointer,
        into out: inout [SchemaViolation]
    ) {
        let results = schemas.map { validate(value, against: $0) }
        let matching = results.filter(\.isEmpty).count
        if case .one = schema {
            guard matching != 1 else { return }
            let reason = matching == 0
                ? "matches none of \(schemas.count) schemas (first: \(results.first?.first?.description ?? "none"))"
                : "matches \(matching) of \(schemas.count) schemas, exactly one required"
            out.append(SchemaViolation(pointer: pointer, constraint: .oneOf, reason: reason, test: value.kindTest))
        } else if matching == 0 {
            let first = results.first?.first?.description ?? "no schemas"
            out.append(SchemaViolation(pointer: pointer, constraint: .anyOf, reason: "matches none of \(schemas.count) schemas (first: \(first))", test: value.kindTest))
        }
    }
}

extension SchemaValidator {
    /// The first violation, or nil when `value` is valid — or when `schema` still holds `$ref`s
    /// (dereference the document first).
    public func firstViolation(_ value: JSONValue, against schema: JSONSchema) -> SchemaViolation? {
        guard let dereferenced = schema.dereferenced() else { return nil }
        return validate(value, against: dereferenced).first
    }
}
