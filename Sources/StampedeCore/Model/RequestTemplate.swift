public import StampedeHTTP

/// One query parameter; `value == nil` means a bare key (`?flag`).
public struct QueryItem: Codable, Hashable, Sendable {
    /// The parameter name (may hold `{{variables}}`).
    public var name: String
    /// The value; nil for a bare key.
    public var value: String?

    /// A parameter `name=value` (`value` nil: bare `name`).
    public init(_ name: String, _ value: String?) {
        self.name = name
        self.value = value
    }
}

/// A request body: UTF-8 text (which may hold `{{variables}}`) or raw bytes as base64.
public struct BodyTemplate: Codable, Hashable, Sendable {
    /// The body as text; templated. Exclusive with `base64`.
    public var text: String?
    /// The body as base64, for bytes that are not valid UTF-8; never templated.
    public var base64: String?
    /// The content type the body was recorded with (also present in `headers` when it was sent).
    public var contentType: String?

    /// A body from text or base64 (give one of them).
    public init(text: String? = nil, base64: String? = nil, contentType: String? = nil) {
        self.text = text
        self.base64 = base64
        self.contentType = contentType
    }

    /// Builds a body from raw bytes: text when they are valid UTF-8, base64 otherwise.
    public init(bytes: [UInt8], contentType: String?) {
        if let string = String(validating: bytes, as: UTF8.self) {
            self.init(text: string, contentType: contentType)
        } else {
            self.init(base64: Base64.encode(bytes), contentType: contentType)
        }
    }

    /// The untemplated bytes of the body.
    public var rawBytes: [UInt8] {
        if let text { return Array(text.utf8) }
        if let base64, let bytes = Base64.decode(base64) { return bytes }
        return []
    }

    enum CodingKeys: String, CodingKey {
        case text, base64
        case contentType = "content_type"
    }
}

/// A request as stored in a corpus: method, path and query relative to the base URL, headers and
/// body, each of which may reference variables as `{{name}}`.
public struct RequestTemplate: Codable, Hashable, Sendable {
    /// Any method token, including invalid ones (mutants send them).
    public var method: String
    /// Path relative to the base URL, starting with `/`, without the query.
    public var path: String
    /// Query parameters in order.
    public var query: [QueryItem]
    /// Headers in order, as recorded.
    public var headers: [HTTPHeader]
    /// The body; nil for none.
    public var body: BodyTemplate?

    /// A request template; paths start with `/`.
    public init(
        method: String,
        path: String,
        query: [QueryItem] = [],
        headers: [HTTPHeader] = [],
        body: BodyTemplate? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The first header with this name (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.value(named: name)
    }

    /// Path plus the encoded query string, as sent on the wire (variables not rendered).
    public var pathAndQuery: String {
        guard !query.isEmpty else { return path }
        return path + "?" + QueryItem.encode(query)
    }

    /// Reads a template; missing `query` and `headers` are empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        method = try container.decode(String.self, forKey: .method)
        path = try container.decode(String.self, forKey: .path)
        query = try container.decodeIfPresent([QueryItem].self, forKey: .query) ?? []
        headers = try container.decodeIfPresent([HTTPHeader].self, forKey: .headers) ?? []
        body = try container.decodeIfPresent(BodyTemplate.self, forKey: .body)
    }

    /// Writes a template; empty `query` and `headers` are left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(method, forKey: .method)
        try container.encode(path, forKey: .path)
        if !query.isEmpty { try container.encode(query, forKey: .query) }
        if !headers.isEmpty { try container.encode(headers, forKey: .headers) }
        try container.encodeIfPresent(body, forKey: .body)
    }

    enum CodingKeys: String, CodingKey {
        case method, path, query, headers, body
    }
}

extension QueryItem {
    /// Percent-encodes items as `a=1&b=2` (RFC 3986 unreserved characters kept).
    public static func encode(_ items: [QueryItem]) -> String {
        items.map { item in
            let name = PercentEncoding.encode(item.name)
            guard let value = item.value else { return name }
            return name + "=" + PercentEncoding.encode(value)
        }.joined(separator: "&")
    }

    /// Parses `a=1&b=2` (percent-decoding, `+` as space) into items, keeping order and duplicates.
    public static func parse(_ query: Substring) -> [QueryItem] {
        guard !query.isEmpty else { return [] }
        return query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            if let eq = pair.firstIndex(of: "=") {
                return QueryItem(
                    PercentEncoding.decode(pair[..<eq], plusAsSpace: true),
                    PercentEncoding.decode(pair[pair.index(after: eq)...], plusAsSpace: true)
                )
            }
            return QueryItem(PercentEncoding.decode(pair, plusAsSpace: true), nil)
        }
    }
}
