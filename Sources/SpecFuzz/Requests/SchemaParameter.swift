public import OpenAPIKit

/// A parameter of an operation, for callers that hold their own flattened model of the spec.
public struct SchemaParameter: Sendable {
    /// The parameter name (`{name}` in a path template).
    public var name: String
    /// Where it goes; `.body` is not a parameter location (use `SchemaBody`).
    public var location: RequestLocation
    /// Whether the operation requires it (path parameters always are).
    public var required: Bool
    /// Its schema, dereferenced.
    public var schema: DereferencedJSONSchema

    /// Creates a parameter.
    public init(name: String, location: RequestLocation, required: Bool, schema: DereferencedJSONSchema) {
        self.name = name
        self.location = location
        self.required = required
        self.schema = schema
    }
}

/// The request body of an operation: one media type and its schema.
public struct SchemaBody: Sendable {
    /// `application/json`, `application/x-www-form-urlencoded` or `text/plain` (others are not generated).
    public var contentType: String
    /// The body schema, dereferenced.
    public var schema: DereferencedJSONSchema
    /// Whether the operation requires a body.
    public var required: Bool

    /// Creates a body description.
    public init(contentType: String, schema: DereferencedJSONSchema, required: Bool) {
        self.contentType = contentType
        self.schema = schema
        self.required = required
    }
}

extension SchemaRequestGenerator {
    /// Prepares the cases of an operation given as parameters and a body.
    public init(
        path: String, method: String, parameters: [SchemaParameter], body: SchemaBody?, bound: [String: String] = [:],
        generator: SchemaValueGenerator = SchemaValueGenerator(maximumCases: 12)
    ) {
        var parts = parameters.filter { $0.location != .body && RequestPartSpec.isGenerated(name: $0.name, location: $0.location) }.map { parameter in
            RequestPartSpec(
                name: parameter.name, location: parameter.location, required: parameter.required || parameter.location == .path,
                schema: parameter.schema, generator: generator, seed: 0)
        }
        if let body {
            parts.append(RequestPartSpec(name: "body", location: .body, required: body.required, schema: body.schema, generator: generator, seed: 0))
        }
        self.init(path: path, method: method, bound: bound, parts: parts, bodyContentType: body?.contentType)
    }
}
