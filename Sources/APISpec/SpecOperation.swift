public import OpenAPIKit

/// One operation of the spec, flattened for binding, generation and the conformance checks:
/// local `$ref`s resolved, the server's base path joined to the path.
public struct SpecOperation: Sendable, Equatable {
    /// Where a parameter goes.
    public enum Location: String, Sendable, Hashable, Codable {
        case path, query, header, cookie
    }

    /// One path, query, header or cookie parameter.
    public struct Parameter: Sendable, Equatable {
        /// The parameter's name.
        public var name: String
        /// Where it goes.
        public var location: Location
        /// Whether the operation requires it (path parameters always).
        public var required: Bool
        /// Its schema; nil when the spec gives none (any value).
        public var schema: JSONSchema?
    }

    /// The request body the operation accepts.
    public struct Body: Sendable, Equatable {
        /// The media type generated and sent (JSON first).
        public var contentType: String
        /// Its schema; nil when the spec gives none.
        public var schema: JSONSchema?
        /// Whether the operation requires a body.
        public var required: Bool
    }

    /// One declared response: a status (`200`, `4XX`, `default`) and its media types.
    public struct Response: Sendable, Equatable {
        /// The declared status: `200`, `4XX` or `default`.
        public var status: String
        /// Media type → schema (nil: none given).
        public var content: [String: JSONSchema?]
    }

    /// A link from a response of this operation to another operation's parameter.
    public struct Link: Sendable, Hashable {
        /// The linked operation's `operationId`.
        public var targetOperationID: String
        /// The linked operation's parameter the value fills.
        public var parameter: String
        /// A JSON pointer into this operation's response body (`$response.body#/id` → `/id`).
        public var pointer: String
    }

    /// `operationId`, or `METHOD path` when the spec gives none.
    public var id: String
    /// Upper-case method.
    public var method: String
    /// The path as sent: the server's base path, then the spec's path with `{param}` segments.
    public var path: String
    /// Path, query, header and cookie parameters (path item ones included).
    public var parameters: [Parameter]
    /// The request body, if the operation takes one.
    public var body: Body?
    /// The declared responses.
    public var responses: [Response]
    /// Links from its responses to other operations.
    public var links: [Link]
    /// Whether the operation needs credentials (a non-empty `security` requirement).
    public var secured: Bool

    /// `METHOD /path/{id}`, the key metrics and recorded steps use (`EndpointTemplate`).
    public var endpoint: String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? "{id}" : String(segment)
        }
        return method + " " + segments.joined(separator: "/")
    }

    /// The path parameters in path order.
    public var pathParameters: [Parameter] { parameters.filter { $0.location == .path } }

    /// Whether the spec declares `status` (exactly, by its `NXX` range, or by `default`).
    public func declares(status: Int) -> Bool {
        declaredResponse(for: status) != nil
    }

    /// The declared response that covers `status`: exact code first, then `NXX`, then `default`.
    public func declaredResponse(for status: Int) -> Response? {
        let exact = String(status)
        let range = String(status / 100) + "XX"
        return responses.first { $0.status == exact } ?? responses.first { $0.status.uppercased() == range }
            ?? responses.first { $0.status == "default" }
    }
}
