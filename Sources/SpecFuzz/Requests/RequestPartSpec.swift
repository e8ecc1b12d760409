import OpenAPIKit
import StampedeCore
import StampedeHTTP

/// Where in a request a generated value goes.
public enum RequestLocation: String, Hashable, Sendable, CaseIterable, Codable {
    case path, query, header, cookie, body
}

/// One parameter (or the body) of an operation, reduced to what generation needs.
struct RequestPartSpec: Sendable {
    let name: String
    let location: RequestLocation
    let required: Bool
    let schema: DereferencedJSONSchema
    /// Valid values, boundary values and every enum value first.
    let positives: [JSONValue]
    /// Values each breaking one constraint.
    var negatives: [NegativeValue]

    /// Header parameters OpenAPI says to ignore (the request's own machinery sets them).
    static let ignoredHeaders = ["Accept", "Content-Type", "Authorization"]

    /// The parameter's spec, or nil when it cannot be sent safely (a header name that is not a token,
    /// a `querystring` parameter, a parameter OpenAPI says to ignore).
    init?(_ parameter: DereferencedParameter, generator: SchemaValueGenerator, seed: UInt64) {
        let location: RequestLocation
        switch parameter.location {
        case .path: location = .path
        case .query: location = .query
        case .header: location = .header
        case .cookie: location = .cookie
        default: return nil
        }
        guard Self.isGenerated(name: parameter.name, location: location) else { return nil }
        let schema: DereferencedJSONSchema = switch parameter.schemaOrContent {
        case .a(let context): context.schema
        case .b(let content): content.first?.value.schema ?? .fragment(.init())
        }
        self.init(name: parameter.name, location: location, required: parameter.required || location == .path, schema: schema, generator: generator, seed: seed)
    }

    init(name: String, location: RequestLocation, required: Bool, schema: DereferencedJSONSchema, generator: SchemaValueGenerator, seed: UInt64) {
        self.name = name
        self.location = location
        self.required = required
        self.schema = schema
        var partSeed = SeededGenerator(seed: seed, UInt64(location.rawValue.utf8.count), Self.hash(name))
        let positives = generator.positives(for: schema, seed: partSeed.next())
        var negatives = generator.negatives(for: schema, seed: partSeed.next())
        if location != .body {
            // Outside the body values travel as text: keep those whose text still breaks the schema
            // and that libcurl sends as they are (no CR, LF or NUL; cookies without `;`).
            negatives = negatives.filter { RequestValueText.survivesAsText($0, in: location, schema: schema, validator: generator.validator) }
        }
        self.positives = positives.filter {
            location == .body || RequestValueText.survivesAsText($0, in: location, schema: schema, validator: generator.validator)
        }
        self.negatives = negatives
    }

    /// Whether a parameter is generated: header names must be tokens, and OpenAPI says to ignore
    /// `Accept`, `Content-Type` and `Authorization` header parameters.
    static func isGenerated(name: String, location: RequestLocation) -> Bool {
        guard location == .header else { return true }
        return HTTPSyntax.isToken(name) && !ignoredHeaders.contains { HTTPHeader.namesEqual($0, name) }
    }

    /// FNV-1a of a name: a stable stream number (Swift's `hashValue` changes between runs).
    static func hash(_ name: String) -> UInt64 {
        name.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }
}
