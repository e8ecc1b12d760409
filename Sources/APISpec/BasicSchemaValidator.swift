import Foundation
public import OpenAPIKit
public import StampedeCore

/// A small JSON Schema check (types, nullability, required members, properties, items, enums),
/// standing in until SpecFuzz's full validator is merged. Reasons name the place and the rule,
/// never the value, so one bug keeps one signature.
public enum BasicSchemaValidator {
    /// Nil when `value` matches `schema`; else `/path: expected string` and the like.
    public static func validate(_ value: JSONValue, _ schema: JSONSchema) -> String? {
        check(value, schema, at: "")
    }

    static func check(_ value: JSONValue, _ schema: JSONSchema, at path: String) -> String? {
        if case .null = value { return schema.nullable || schema.isFragment || isNullType(schema) ? nil : "\(place(path)): expected \(name(schema)), got null" }
        switch schema.value {
        case .boolean: return value.boolValue == nil ? mismatch(path, schema, value) : nil
        case .integer:
            guard let number = value.doubleValue, number.rounded() == number else { return mismatch(path, schema, value) }
            return nil
        case .number: return value.doubleValue == nil ? mismatch(path, schema, value) : nil
        case .string: return value.stringValue == nil ? mismatch(path, schema, value) : allowed(value, schema, path)
        case .array(_, let context):
            guard let items = value.arrayValue else { return mismatch(path, schema, value) }
            guard let itemSchema = context.items else { return nil }
            for (i, item) in items.enumerated() {
                if let reason = check(item, itemSchema, at: path + "/" + String(i)) { return reason.replacingOccurrences(of: "/\(i)", with: "/*") }
            }
            return nil
        case .object(_, let context):
            guard let members = value.objectMembers else { return mismatch(path, schema, value) }
            for name in context.requiredProperties where !members.contains(where: { $0.key == name }) {
                return "\(place(path)): missing required \(name)"
            }
            for member in members {
                guard let property = context.properties[member.key] else { continue }
                if let reason = check(member.value, property, at: path + "/" + member.key) { return reason }
            }
            return nil
        case .all(let parts, _):
            return parts.lazy.compactMap { check(value, $0, at: path) }.first
        case .one(let parts, _), .any(let parts, _):
            return parts.contains { check(value, $0, at: path) == nil } || parts.isEmpty ? nil : "\(place(path)): matches none of its alternatives"
        case .null, .not, .reference, .fragment:
            return nil
        }
    }

    static func allowed(_ value: JSONValue, _ schema: JSONSchema, _ path: String) -> String? {
        guard let allowed = schema.allowedValues, !allowed.isEmpty, let text = value.stringValue else { return nil }
        return allowed.contains { ($0.value as? String) == text } ? nil : "\(place(path)): not one of its enum values"
    }

    static func isNullType(_ schema: JSONSchema) -> Bool {
        if case .null = schema.value { return true }
        return false
    }

    static func mismatch(_ path: String, _ schema: JSONSchema, _ value: JSONValue) -> String {
        "\(place(path)): expected \(name(schema)), got \(value.kind)"
    }

    static func place(_ path: String) -> String { path.isEmpty ? "/" : path }

    static func name(_ schema: JSONSchema) -> String {
        schema.jsonType?.rawValue ?? "a value"
    }
}
