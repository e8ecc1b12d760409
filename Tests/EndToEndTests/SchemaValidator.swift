import Foundation
import StampedeCore

/// A JSON Schema validator for the subset `docs/report.schema.json` uses: type (string or list),
/// required, properties, additionalProperties (bool or schema), items, enum, minimum, maximum,
/// anyOf and local `$ref` into `$defs`.
struct SchemaValidator {
    let root: JSONValue

    init(schemaPath: String) throws {
        root = try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: schemaPath))))
    }

    /// Every violation, as `path: problem`.
    func validate(_ value: JSONValue) -> [String] {
        var errors: [String] = []
        check(value, root, "$", &errors)
        return errors
    }

    private func resolve(_ schema: JSONValue) -> JSONValue {
        guard let ref = schema[key: "$ref"]?.stringValue, ref.hasPrefix("#/$defs/") else { return schema }
        return root[key: "$defs"]?[key: String(ref.dropFirst("#/$defs/".count))] ?? .object([])
    }

    private func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .number(let n): n.text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) ? "number" : "integer"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    private func check(_ value: JSONValue, _ rawSchema: JSONValue, _ path: String, _ errors: inout [String]) {
        let schema = resolve(rawSchema)
        if let anyOf = schema[key: "anyOf"]?.arrayValue {
            let ok = anyOf.contains { sub in
                var e: [String] = []
                check(value, sub, path, &e)
                return e.isEmpty
            }
            if !ok { errors.append("\(path): matches no anyOf branch") }
            return
        }
        let actual = typeName(value)
        if let t = schema[key: "type"] {
            let allowed = t.arrayValue?.compactMap(\.stringValue) ?? [t.stringValue ?? ""]
            guard allowed.contains(actual) || (actual == "integer" && allowed.contains("number")) else {
                errors.append("\(path): type \(actual), expected \(allowed)")
                return
            }
        }
        if let options = schema[key: "enum"]?.arrayValue, !options.contains(where: { $0.scalarText == value.scalarText }) {
            errors.append("\(path): \(value.scalarText) not in enum")
        }
        if case .number(let n) = value {
            if let min = schema[key: "minimum"]?.doubleValue, n.value < min { errors.append("\(path): below minimum") }
            if let max = schema[key: "maximum"]?.doubleValue, n.value > max { errors.append("\(path): above maximum") }
        }
        if let members = value.objectMembers {
            let keys = Set(members.map(\.key))
            for key in schema[key: "required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where !keys.contains(key) {
                errors.append("\(path): missing \(key)")
            }
            for member in members {
                if let sub = schema[key: "properties"]?[key: member.key] {
                    check(member.value, sub, path + "." + member.key, &errors)
                } else if let extra = schema[key: "additionalProperties"] {
                    if case .bool(let allowed) = extra {
                        if !allowed { errors.append("\(path): unexpected key \(member.key)") }
                    } else {
                        check(member.value, extra, path + "." + member.key, &errors)
                    }
                }
            }
        }
        if let array = value.arrayValue, let items = schema[key: "items"] {
            for (i, child) in array.enumerated() { check(child, items, "\(path)[\(i)]", &errors) }
        }
    }
}
