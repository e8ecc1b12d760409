import OpenAPIKit
import StampedeCore
import StampedeHTTP

/// Values outside the body travel as text: how a value is written, how a server reads it back, and
/// whether it can be sent at all.
enum RequestValueText {
    /// The text of a parameter value: scalars as written (strings unquoted), arrays comma-joined
    /// (OpenAPI's `simple` and `form` styles), objects as JSON.
    static func text(of value: JSONValue) -> String {
        if case .array(let items) = value { return items.map(\.scalarText).joined(separator: ",") }
        return value.scalarText
    }

    /// The value a server reading `text` by `schema` gets: numbers and booleans parsed, arrays split.
    static func coerced(_ text: String, for schema: DereferencedJSONSchema) -> JSONValue {
        switch schema {
        case .integer, .number:
            if let number = try? JSONParser().parse(text), number.kind == .number { return number }
        case .boolean:
            if text == "true" || text == "false" { return .bool(text == "true") }
        case .null:
            if text == "null" { return .null }
        case .array(_, let context):
            guard !text.isEmpty else { return .array([]) }
            let items = context.items ?? .fragment(.init())
            return .array(text.split(separator: ",", omittingEmptySubsequences: false).map { coerced(String($0), for: items) })
        default:
            break
        }
        return .string(text)
    }

    /// Whether a value still means the same once written as text and read back (a positive value
    /// stays valid, a negative one keeps exactly its violation), and can be sent in `location`.
    static func survivesAsText(_ value: JSONValue, in location: RequestLocation, schema: DereferencedJSONSchema, validator: SchemaValidator) -> Bool {
        let text = text(of: value)
        return isSendable(text, in: location) && validator.isValid(coerced(text, for: schema), against: schema)
    }

    /// The same for a negative value: its text must break exactly its labelled constraint.
    static func survivesAsText(_ negative: NegativeValue, in location: RequestLocation, schema: DereferencedJSONSchema, validator: SchemaValidator) -> Bool {
        let text = text(of: negative.value)
        guard isSendable(text, in: location) else { return false }
        let violations = validator.validate(coerced(text, for: schema), against: schema)
        return violations.count == 1 && violations[0].constraint == negative.constraint
    }

    /// Whether libcurl sends `text` unchanged in `location`: never CR, LF or NUL in a header or a
    /// cookie (they would cut the line), never `;` in a cookie, never a `{{` a template renderer
    /// would read as a variable.
    static func isSendable(_ text: String, in location: RequestLocation) -> Bool {
        if text.contains("{{") { return false }
        switch location {
        case .header: return HTTPSyntax.lineBreakingByte(in: text) == nil
        case .cookie: return HTTPSyntax.lineBreakingByte(in: text) == nil && !text.utf8.contains { $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: ",") }
        case .path, .query, .body: return true
        }
    }
}
