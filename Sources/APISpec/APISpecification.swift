import Foundation
public import OpenAPIKit

/// A loaded spec as the fuzzer uses it: its operations, flattened, and a matcher from a concrete
/// request path to the operation it is an instance of.
public struct APISpecification: Sendable {
    /// Every operation, in document order.
    public let operations: [SpecOperation]
    let matcher: PathMatcher

    /// Flattens a document (local `$ref`s resolved).
    /// - Throws: `SpecError` when a local `$ref` names nothing.
    public init(document: OpenAPI.Document) throws(SpecError) {
        let resolved: ResolvedDocument
        do {
            resolved = try document.locallyDereferenced().resolved()
        } catch {
            throw SpecError("the spec's $refs do not resolve (\(SpecTree.firstLine(String(describing: error))))")
        }
        let basePath = Self.basePath(document.servers.first?.urlTemplate.absoluteString ?? "")
        var operations = resolved.endpoints.map { Self.operation($0, basePath: basePath) }
        // Two operations without an operationId on one path get distinct ids all the same.
        var seen: [String: Int] = [:]
        for i in operations.indices {
            seen[operations[i].id, default: 0] += 1
            if let n = seen[operations[i].id], n > 1 { operations[i].id += "#\(n)" }
        }
        self.init(operations: operations)
    }

    /// A specification of operations built by hand (tests) or by `init(document:)`.
    public init(operations: [SpecOperation]) {
        self.operations = operations
        matcher = PathMatcher(operations: operations)
    }

    /// The operation a request is an instance of: same method, path segments equal or on a
    /// `{param}`; the query is ignored. Prefers the path with the most literal segments.
    public func operation(method: String, path: String) -> SpecOperation? {
        matcher.match(method: method, path: path).map { operations[$0] }
    }

    /// The index in `operations` of the operation a request is an instance of.
    public func operationIndex(method: String, path: String) -> Int? {
        matcher.match(method: method, path: path)
    }

    /// The path part of a server URL (`https://h/api/v1` → `/api/v1`; `/` → empty).
    static func basePath(_ url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") {
            rest = rest[scheme.upperBound...]
            rest = rest.firstIndex(of: "/").map { rest[$0...] } ?? ""
        }
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        return String(rest)
    }

    static func operation(_ endpoint: ResolvedEndpoint, basePath: String) -> SpecOperation {
        let method = endpoint.method.rawValue.uppercased()
        let path = basePath + endpoint.path.rawValue
        let parameters = endpoint.parameters.compactMap(parameter)
        var body: SpecOperation.Body?
        if let request = endpoint.requestBody {
            // JSON first: that is what generation and the checks understand best.
            let types = request.content.keys.map(\.rawValue)
            if let type = types.first(where: { $0.contains("json") }) ?? types.first,
                let content = request.content.first(where: { $0.key.rawValue == type })?.value
            {
                body = .init(contentType: type, schema: content.schema?.jsonSchema, required: request.underlyingRequest.required)
            }
        }
        var responses: [SpecOperation.Response] = []
        var links: [SpecOperation.Link] = []
        for (status, response) in endpoint.responses {
            var content: [String: JSONSchema?] = [:]
            for (type, item) in response.content { content[type.rawValue] = item.schema?.jsonSchema }
            responses.append(.init(status: status.rawValue, content: content))
            links += response.links.values.flatMap(Self.links)
        }
        return SpecOperation(
            id: endpoint.operationId ?? method + " " + endpoint.path.rawValue, method: method, path: path,
            parameters: parameters, body: body, responses: responses, links: links,
            secured: endpoint.security.contains { !$0.schemes.isEmpty })
    }

    static func parameter(_ p: DereferencedParameter) -> SpecOperation.Parameter? {
        let location: SpecOperation.Location
        switch p.location {
        case .path: location = .path
        case .query: location = .query
        case .header: location = .header
        case .cookie: location = .cookie
        default: return nil
        }
        let schema = p.schemaOrContent.a?.schema.jsonSchema ?? p.schemaOrContent.b?.values.first?.schema?.jsonSchema
        return .init(name: p.name, location: location, required: p.required, schema: schema)
    }

    /// `parameters: {id: $response.body#/id}` → one link per parameter with a body pointer.
    static func links(_ link: OpenAPI.Link) -> [SpecOperation.Link] {
        guard let target = link.operation.b else { return [] }
        return link.parameters.compactMap { name, value in
            let prefix = "$response.body#"
            guard let expression = value.a?.rawValue, expression.hasPrefix(prefix) else { return nil }
            return SpecOperation.Link(targetOperationID: target, parameter: name, pointer: String(expression.dropFirst(prefix.count)))
        }
    }
}
