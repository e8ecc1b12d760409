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
        public var name: String
        public var location: Location
        public var required: Bool
        /// Its schema; nil when the spec gives none (any value).
        public var schema: JSONSchema?
    }

    /// The request body the operation accepts.
    public struct Body: Sendable, Equatable {
        public var contentType: String
        public var schema: JSONSchema?
        public var required: Bool
    }

    /// One declared response: a status (`200`, `4XX`, `default`) and its media types.
    public struct Response: Sendable, Equatable {
        public var status: String
        /// Media type → schema (nil: none given).
        public var content: [String: JSONSchema?]
    }

    /// A link from a response of this operation to another operation's parameter.
    public struct Link: Sendable, Hashable {
        public var targetOperationID: String
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
    public var parameters: [Parameter]
    public var body: Body?
    public var responses: [Response]
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
