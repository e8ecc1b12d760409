/// Parameters, bodies, responses and schemas of the Swagger 2.0 conversion.
extension Swagger2Converter {
    /// Keywords a Swagger non-body parameter carries that belong in its 3.x `schema`.
    static let schemaKeys = [
        "type", "format", "items", "enum", "default", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "multipleOf",
    ]

    static func parameter(_ p: [String: Any]) -> [String: Any] {
        var out: [String: Any] = ["name": p["name"] ?? "", "in": p["in"] ?? "query"]
        let isPath = p["in"] as? String == "path"
        out["required"] = isPath ? true : (p["required"] as? Bool ?? false)
        if let description = p["description"] { out["description"] = description }
        var schema: [String: Any] = [:]
        for key in schemaKeys { if let value = p[key] { schema[key] = value } }
        out["schema"] = self.schema(schema)
        if p["type"] as? String == "array" {
            // collectionFormat: csv (the default) is the 3.x form style without explode.
            switch p["collectionFormat"] as? String ?? "csv" {
            case "multi": out["explode"] = true
            case "ssv": out["style"] = "spaceDelimited"
            case "pipes": out["style"] = "pipeDelimited"
            default: out["explode"] = false
            }
        }
        return out
    }

    static func requestBody(_ parameters: [[String: Any]], consumes: [String]) -> [String: Any]? {
        if let body = parameters.first(where: { $0["in"] as? String == "body" }) {
            let schema = self.schema(body["schema"] ?? [String: Any]())
            var content: [String: Any] = [:]
            for type in consumes.isEmpty ? ["application/json"] : consumes { content[type] = ["schema": schema] }
            return ["required": body["required"] as? Bool ?? false, "content": content]
        }
        let form = parameters.filter { $0["in"] as? String == "formData" }
        guard !form.isEmpty else { return nil }
        var properties: [String: Any] = [:]
        var required: [String] = []
        var multipart = consumes.contains("multipart/form-data")
        for p in form {
            guard let name = p["name"] as? String else { continue }
            if p["type"] as? String == "file" { multipart = true }
            properties[name] = (parameter(p)["schema"] as? [String: Any]) ?? [:]
            if p["required"] as? Bool == true { required.append(name) }
        }
        var schema: [String: Any] = ["type": "object", "properties": properties]
        if !required.isEmpty { schema["required"] = required }
        let type = multipart ? "multipart/form-data" : "application/x-www-form-urlencoded"
        return ["required": !required.isEmpty, "content": [type: ["schema": schema]]]
    }

    static func response(_ r: [String: Any], produces: [String]) -> [String: Any] {
        var out: [String: Any] = ["description": r["description"] as? String ?? ""]
        if let schema = r["schema"] {
            var content: [String: Any] = [:]
            let converted = self.schema(schema)
            for type in produces.isEmpty ? ["application/json"] : produces { content[type] = ["schema": converted] }
            out["content"] = content
        }
        if let headers = r["headers"] as? [String: Any] {
            out["headers"] = headers.mapValues { value -> Any in
                guard let header = value as? [String: Any] else { return value }
                var schema: [String: Any] = [:]
                for key in schemaKeys { if let v = header[key] { schema[key] = v } }
                let converted: [String: Any] = ["schema": self.schema(schema), "description": header["description"] ?? ""]
                return converted
            }
        }
        return out
    }

    /// A Swagger schema as JSON Schema 2020-12 (recursively).
    static func schema(_ value: Any) -> Any {
        if let array = value as? [Any] { return array.map(schema) }
        guard let dict = value as? [String: Any] else { return value }
        var out: [String: Any] = [:]
        for (key, item) in dict {
            switch key {
            case "$ref":
                let ref = item as? String ?? ""
                out[key] = ref.hasPrefix("#/definitions/") ? "#/components/schemas/" + ref.dropFirst(14) : ref
            case "properties", "definitions", "patternProperties":
                out[key] = (item as? [String: Any])?.mapValues(schema) ?? item
            case "example", "default", "enum", "required", "x-example":
                out[key] = item
            case "discriminator":
                let object: [String: Any] = ["propertyName": item]
                out[key] = item is String ? object : item
            default:
                out[key] = schema(item)
            }
        }
        if out["type"] as? String == "file" { out["type"] = "string"; out["format"] = "binary" }
        for (flag, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
            guard let exclusive = out[flag] as? Bool else { continue }
            out[flag] = nil
            if exclusive, let limit = out[bound] { out[flag] = limit; out[bound] = nil }
        }
        if out.removeValue(forKey: "x-nullable") as? Bool == true, let type = out["type"] as? String {
            out["type"] = [type, "null"]
        }
        return out
    }
}
