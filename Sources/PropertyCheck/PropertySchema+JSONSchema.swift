public import StampedeCore

extension PropertySchema {
    /// Reads a JSON Schema subset.
    ///
    /// Understood: `type` (one name or a list; `"null"` in a list makes the node nullable),
    /// `properties`, `required`, `additionalProperties` (a schema: the object becomes a dictionary
    /// of such values), `minProperties`/`maxProperties`, `items`, `minItems`/`maxItems`,
    /// `minLength`/`maxLength`, `pattern` (only `^\S+$`/`^\S*$`: no white space), `format: email`,
    /// `enum`, `const`, `minimum`/`maximum`. A node without `type` (or `{}`/`true`) is any value.
    /// - Throws: ``PropertySchemaError`` naming the JSON Pointer of the first unsupported construct.
    public init(jsonSchema: JSONValue) throws(PropertySchemaError) {
        self = try Self.parse(jsonSchema, at: "")
    }

    private static func parse(_ node: JSONValue, at pointer: String) throws(PropertySchemaError) -> PropertySchema {
        if node == .bool(true) { return .any() }
        guard node.objectMembers != nil else { throw PropertySchemaError(pointer: pointer, message: "a schema must be an object") }
        if let values = node[key: "enum"]?.arrayValue {
            guard !values.isEmpty else { throw PropertySchemaError(pointer: pointer + "/enum", message: "enum is empty") }
            return .oneOf(values)
        }
        if let value = node[key: "const"] { return .oneOf([value]) }
        var types: [String] = []
        switch node[key: "type"] {
        case nil: return .any()
        case .string(let name)?: types = [name]
        case .array(let names)?: types = names.compactMap(\.stringValue)
        default: throw PropertySchemaError(pointer: pointer + "/type", message: "type must be a name or a list of names")
        }
        let nullable = types.contains("null")
        types.removeAll { $0 == "null" }
        guard types.count <= 1 else {
            throw PropertySchemaError(pointer: pointer + "/type", message: "only one non-null type is supported")
        }
        guard let type = types.first else { return PropertySchema(.null) }
        var schema: PropertySchema
        switch type {
        case "boolean":
            schema = PropertySchema(.boolean)
        case "integer":
            let low = try int(node, "minimum", at: pointer) ?? Int(Int32.min)
            let high = try int(node, "maximum", at: pointer) ?? Int(Int32.max)
            guard low <= high else { throw PropertySchemaError(pointer: pointer, message: "minimum exceeds maximum") }
            schema = .integer(low...high)
        case "number":
            let low = node[key: "minimum"]?.doubleValue ?? -1e9
            let high = node[key: "maximum"]?.doubleValue ?? 1e9
            guard low <= high else { throw PropertySchemaError(pointer: pointer, message: "minimum exceeds maximum") }
            schema = PropertySchema(.number(low...high))
        case "string":
            schema = .string(try stringRule(node, at: pointer))
        case "array":
            let items = try node[key: "items"].map { (items) throws(PropertySchemaError) in try parse(items, at: pointer + "/items") } ?? .any()
            let low = try int(node, "minItems", at: pointer) ?? 0
            let high = try int(node, "maxItems", at: pointer) ?? max(low, 8)
            guard low <= high else { throw PropertySchemaError(pointer: pointer, message: "minItems exceeds maxItems") }
            schema = .array(items, count: low...high)
        case "object":
            schema = try objectSchema(node, at: pointer)
        default:
            throw PropertySchemaError(pointer: pointer + "/type", message: "unsupported type \"\(type)\"")
        }
        schema.nullable = nullable
        return schema
    }

    private static func objectSchema(_ node: JSONValue, at pointer: String) throws(PropertySchemaError) -> PropertySchema {
        let required = Set((node[key: "required"]?.arrayValue ?? []).compactMap(\.stringValue))
        let properties = node[key: "properties"]?.objectMembers ?? []
        if let additional = node[key: "additionalProperties"], additional.objectMembers != nil, properties.isEmpty {
            let values = try parse(additional, at: pointer + "/additionalProperties")
            let low = try int(node, "minProperties", at: pointer) ?? 0
            let high = try int(node, "maxProperties", at: pointer) ?? max(low, 8)
            guard low <= high else { throw PropertySchemaError(pointer: pointer, message: "minProperties exceeds maxProperties") }
            let keys = try node[key: "propertyNames"].map { (names) throws(PropertySchemaError) in
                try stringRule(names, at: pointer + "/propertyNames")
            } ?? PropertyStringRule(length: 0...32)
            return .map(keys: keys, values: values, count: low...high)
        }
        var fields: [PropertyField] = []
        for member in properties {
            let child = try parse(member.value, at: pointer + "/properties/" + member.key)
            fields.append(PropertyField(member.key, child, required: required.contains(member.key)))
        }
        return .object(fields)
    }

    private static func stringRule(_ node: JSONValue, at pointer: String) throws(PropertySchemaError) -> PropertyStringRule {
        let low = try int(node, "minLength", at: pointer) ?? 0
        let high = try int(node, "maxLength", at: pointer) ?? max(low, 64)
        guard low <= high else { throw PropertySchemaError(pointer: pointer, message: "minLength exceeds maxLength") }
        var rule = PropertyStringRule(length: low...high)
        switch node[key: "pattern"]?.stringValue {
        case nil: break
        case #"^\S+$"#, #"^\S*$"#: rule.alphabet = .nonSpace
        case let other?:
            throw PropertySchemaError(pointer: pointer + "/pattern", message: "unsupported pattern \(other) (only ^\\S+$ / ^\\S*$)")
        }
        switch node[key: "format"]?.stringValue {
        case nil: break
        case "email": rule.format = .email
        case "uuid": rule.format = .uuid
        case "date": rule.format = .date
        case "date-time": rule.format = .dateTime
        case let other?: throw PropertySchemaError(pointer: pointer + "/format", message: "unsupported format \"\(other)\"")
        }
        return rule
    }

    private static func int(_ node: JSONValue, _ key: String, at pointer: String) throws(PropertySchemaError) -> Int? {
        guard let value = node[key: key] else { return nil }
        guard case .number(let number) = value, let int = Int(number.text) ?? Int(exactly: number.value) else {
            throw PropertySchemaError(pointer: pointer + "/" + key, message: "\(key) must be an integer")
        }
        return int
    }
}

/// A JSON Schema construct ``PropertySchema/init(jsonSchema:)`` does not support.
public struct PropertySchemaError: Error, Hashable, Sendable, CustomStringConvertible {
    /// JSON Pointer of the offending node in the schema document.
    public var pointer: String
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(pointer: String, message: String) {
        self.pointer = pointer
        self.message = message
    }

    /// `schema /pointer: message`, one line.
    public var description: String { "schema \(pointer.isEmpty ? "/" : pointer): \(message)" }
}
