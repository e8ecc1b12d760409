import Foundation
public import OpenAPIKit
public import StampedeCore

/// One valid value per schema: the spec's example, default or first enum value, else the
/// smallest value its type and bounds allow. Used for the base request of an operation nothing
/// recorded binds (SpecFuzz varies it from there).
public enum SampleValues {
    /// A value valid for `schema` (`"x"` when there is none).
    public static func value(for schema: JSONSchema?, depth: Int = 0) -> JSONValue {
        guard let schema else { return .string("x") }
        if let known = schema.examples.first ?? schema.defaultValue ?? schema.allowedValues?.first, let value = json(known) {
            return value
        }
        guard depth < 6 else { return .null }
        switch schema.value {
        case .null: return .null
        case .boolean: return .bool(true)
        case .integer(_, let context):
            let low = context.minimum.map { $0.value + ($0.exclusive ? 1 : 0) } ?? 1
            return .int(max(low, min(1, context.maximum?.value ?? 1)))
        case .number(_, let context):
            return .double(context.minimum.map { $0.value + ($0.exclusive ? 1 : 0) } ?? 1)
        case .string(let core, let context):
            return .string(string(format: core.format.rawValue, minLength: context.minLength))
        case .array(_, let context):
            let item = value(for: context.items, depth: depth + 1)
            return .array(Array(repeating: item, count: max(1, context.minItems)))
        case .object(_, let context):
            let members = context.properties.compactMap { name, property -> JSONMember? in
                guard context.requiredProperties.contains(name), !property.readOnly else { return nil }
                return JSONMember(name, value(for: property, depth: depth + 1))
            }
            return .object(members)
        case .all(let parts, _), .one(let parts, _), .any(let parts, _):
            return value(for: parts.first, depth: depth + 1)
        case .not, .reference, .fragment:
            return .string("x")
        }
    }

    /// The value as a path, query or header string (`true`, `1`, `x`).
    public static func text(for schema: JSONSchema?) -> String {
        value(for: schema).scalarText
    }

    static func string(format: String, minLength: Int) -> String {
        let base: String
        switch format {
        case "uuid": base = "00000000-0000-4000-8000-000000000000"
        case "email": base = "stampede@example.com"
        case "date-time": base = "2026-01-01T00:00:00Z"
        case "date": base = "2026-01-01"
        case "uri", "url": base = "http://127.0.0.1/"
        case "ipv4": base = "127.0.0.1"
        default: base = "stampede"
        }
        return base.count >= minLength ? base : base + String(repeating: "x", count: minLength - base.count)
    }

    static func json(_ value: AnyCodable) -> JSONValue? {
        guard let data = try? JSONEncoder().encode(value) else { return nil }
        return try? JSONParser().parse(Array(data))
    }
}
