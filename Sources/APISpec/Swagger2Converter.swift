/// Converts a Swagger 2.0 document (as a tree) to an OpenAPI 3.1 tree, which is then decoded into
/// the one model every spec is read as.
///
/// What moves: `host` + `basePath` + `schemes` → `servers`; `definitions` → `components.schemas`;
/// `securityDefinitions` → `components.securitySchemes`; `parameters` and `responses` at the root
/// are inlined where referenced; `in: body` → `requestBody` under each `consumes` type; `in:
/// formData` → one form `requestBody` (multipart when a part is a file); a response `schema` →
/// `content` under each `produces` type. Schema keywords Swagger spells differently from JSON
/// Schema 2020-12 (boolean `exclusiveMinimum`, `x-nullable`, string `discriminator`, `type: file`)
/// are rewritten.
enum Swagger2Converter {
    static let methods = ["get", "put", "post", "delete", "options", "head", "patch"]

    static func convert(_ doc: [String: Any]) -> [String: Any] {
        let consumes = doc["consumes"] as? [String] ?? ["application/json"]
        let produces = doc["produces"] as? [String] ?? ["application/json"]
        var out: [String: Any] = ["openapi": "3.1.0"]
        var info = doc["info"] as? [String: Any] ?? [:]
        if info["title"] == nil { info["title"] = "API" }
        if info["version"] == nil { info["version"] = "0" }
        out["info"] = info
        out["servers"] = [["url": serverURL(doc)]]
        var components: [String: Any] = [:]
        if let definitions = doc["definitions"] as? [String: Any] {
            components["schemas"] = definitions.mapValues { schema($0) }
        }
        if let security = doc["securityDefinitions"] as? [String: Any] {
            components["securitySchemes"] = security.mapValues { securityScheme($0) }
        }
        out["components"] = components
        if let security = doc["security"] { out["security"] = security }
        if let tags = doc["tags"] { out["tags"] = tags }
        let context = Context(root: doc, consumes: consumes, produces: produces)
        var paths: [String: Any] = [:]
        for (path, item) in doc["paths"] as? [String: Any] ?? [:] {
            guard let item = item as? [String: Any] else { continue }
            paths[path] = pathItem(item, context)
        }
        out["paths"] = paths
        return out
    }

    struct Context {
        var root: [String: Any]
        var consumes: [String]
        var produces: [String]
    }

    static func serverURL(_ doc: [String: Any]) -> String {
        let basePath = doc["basePath"] as? String ?? ""
        guard let host = doc["host"] as? String, !host.isEmpty else { return basePath.isEmpty ? "/" : basePath }
        let scheme = (doc["schemes"] as? [String])?.first ?? "http"
        return scheme + "://" + host + basePath
    }

    static func securityScheme(_ value: Any) -> Any {
        guard var scheme = value as? [String: Any] else { return value }
        switch scheme["type"] as? String {
        case "basic":
            let basic: [String: Any] = ["type": "http", "scheme": "basic", "description": scheme["description"] ?? ""]
            return basic
        case "oauth2":
            let flow = scheme["flow"] as? String ?? "implicit"
            let name = ["accessCode": "authorizationCode", "application": "clientCredentials"][flow] ?? flow
            var body: [String: Any] = ["scopes": scheme["scopes"] ?? [String: Any]()]
            if let url = scheme["authorizationUrl"] { body["authorizationUrl"] = url }
            if let url = scheme["tokenUrl"] { body["tokenUrl"] = url }
            let oauth: [String: Any] = ["type": "oauth2", "flows": [name: body]]
            return oauth
        default:
            scheme.removeValue(forKey: "flow")
            return scheme
        }
    }

    static func pathItem(_ item: [String: Any], _ context: Context) -> [String: Any] {
        var out: [String: Any] = [:]
        let shared = (item["parameters"] as? [Any] ?? []).compactMap { resolve($0, context) }
        for method in methods {
            guard let operation = item[method] as? [String: Any] else { continue }
            out[method] = self.operation(operation, shared: shared, context)
        }
        return out
    }

    /// A `$ref` into the root's `parameters` or `responses` replaced by what it names.
    static func resolve(_ value: Any, _ context: Context) -> [String: Any]? {
        guard let dict = value as? [String: Any] else { return nil }
        guard let ref = dict["$ref"] as? String, ref.hasPrefix("#/") else { return dict }
        return SpecTree.node(at: String(ref.dropFirst()), in: context.root) as? [String: Any]
    }

    static func operation(_ op: [String: Any], shared: [[String: Any]], _ context: Context) -> [String: Any] {
        var out: [String: Any] = [:]
        for key in ["operationId", "summary", "description", "tags", "deprecated", "security", "externalDocs"] {
            if let value = op[key] { out[key] = value }
        }
        let consumes = op["consumes"] as? [String] ?? context.consumes
        let produces = op["produces"] as? [String] ?? context.produces
        // Operation parameters override path-level ones of the same name and location.
        var parameters: [[String: Any]] = (op["parameters"] as? [Any] ?? []).compactMap { resolve($0, context) }
        for p in shared where !parameters.contains(where: { $0["name"] as? String == p["name"] as? String && $0["in"] as? String == p["in"] as? String }) {
            parameters.append(p)
        }
        out["parameters"] = parameters.filter { !["body", "formData"].contains($0["in"] as? String) }.map(parameter)
        if let body = requestBody(parameters, consumes: consumes) { out["requestBody"] = body }
        var responses: [String: Any] = [:]
        for (code, value) in op["responses"] as? [String: Any] ?? [:] {
            guard let response = resolve(value, context) else { continue }
            responses[code] = self.response(response, produces: produces)
        }
        let fallback: [String: Any] = ["default": ["description": ""]]
        out["responses"] = responses.isEmpty ? fallback : responses
        return out
    }
}
