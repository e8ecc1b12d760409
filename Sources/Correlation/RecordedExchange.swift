public import StampedeCore
public import StampedeHTTP

/// One request/response pair as the recorder saw it, before any templating.
///
/// The proxy, the HAR importer and the built-in demo flow all produce these; everything after
/// (grouping into sessions, correlation, redaction) works on them alone, so the three ways of
/// recording share one pipeline.
public struct RecordedExchange: Sendable, Hashable {
    /// Who sent the request: the proxy's client connection (`conn:127.0.0.1:51234`), a HAR file,
    /// or a demo flow. Grouping falls back to it when no session cookie identifies the client.
    public var connection: String
    /// Milliseconds since the Unix epoch when the request started.
    public var startedAtMs: Int64
    /// Milliseconds since the Unix epoch when the response ended (or the recording gave up on it).
    public var endedAtMs: Int64
    /// Request method as sent.
    public var method: String
    /// Path relative to the target's base URL, starting with `/`, without the query.
    public var path: String
    /// Query items, decoded, in order.
    public var query: [QueryItem]
    /// Request headers as sent by the client, `Cookie` included (it is read for grouping and
    /// correlation, never stored in a corpus).
    public var requestHeaders: [HTTPHeader]
    /// Request body bytes as sent.
    public var requestBody: [UInt8]
    /// Status code; 0 when the target did not answer.
    public var status: Int
    /// Response headers as received, `Set-Cookie` included (names are read, values never stored).
    public var responseHeaders: [HTTPHeader]
    /// At most the recorder's body prefix limit of the response body (for correlation).
    public var responseBody: [UInt8]
    /// The response body's full size in bytes, including what was not kept.
    public var responseBytes: Int

    /// An exchange; `responseBytes` defaults to the kept body's size.
    public init(
        connection: String, startedAtMs: Int64, endedAtMs: Int64, method: String, path: String,
        query: [QueryItem] = [], requestHeaders: [HTTPHeader] = [], requestBody: [UInt8] = [],
        status: Int, responseHeaders: [HTTPHeader] = [], responseBody: [UInt8] = [], responseBytes: Int? = nil
    ) {
        self.connection = connection
        self.startedAtMs = startedAtMs
        self.endedAtMs = endedAtMs
        self.method = method
        self.path = path
        self.query = query
        self.requestHeaders = requestHeaders
        self.requestBody = requestBody
        self.status = status
        self.responseHeaders = responseHeaders
        self.responseBody = responseBody
        self.responseBytes = responseBytes ?? responseBody.count
    }

    /// The first request header with this name (case-insensitive).
    public func requestHeader(_ name: String) -> String? {
        requestHeaders.value(named: name)
    }

    /// The first response header with this name (case-insensitive).
    public func responseHeader(_ name: String) -> String? {
        responseHeaders.value(named: name)
    }

    /// Cookies the client sent, in order (`Cookie: a=1; b=2`).
    public var requestCookies: [(name: String, value: String)] {
        requestHeaders.filter { HTTPHeader.namesEqual($0.name, "Cookie") }.flatMap { header in
            CookieText.pairs(header.value)
        }
    }

    /// Cookies the response set: `(name, value)` from each `Set-Cookie` header, attributes dropped.
    public var responseCookies: [(name: String, value: String)] {
        responseHeaders.filter { HTTPHeader.namesEqual($0.name, "Set-Cookie") }.compactMap { header in
            let first = header.value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            return CookieText.pairs(first).first
        }
    }

    /// The response's media type without parameters, lowercased (`application/json`).
    public var responseMediaType: String? {
        responseHeader("content-type").map(CookieText.mediaType)
    }

    /// The request's media type without parameters, lowercased.
    public var requestMediaType: String? {
        requestHeader("content-type").map(CookieText.mediaType)
    }
}

/// Small parsers for cookie and content-type header text.
package enum CookieText {
    /// `a=1; b=2` → `[(a, 1), (b, 2)]`; values keep their bytes (quotes included).
    package static func pairs(_ text: String) -> [(name: String, value: String)] {
        text.split(separator: ";").compactMap { pair -> (String, String)? in
            let trimmed = pair.trimmingSpaces()
            guard let eq = trimmed.firstIndex(of: "=") else { return nil }
            return (String(trimmed[..<eq]), String(trimmed[trimmed.index(after: eq)...]))
        }
    }

    /// `application/json; charset=utf-8` → `application/json`.
    package static func mediaType(_ contentType: String) -> String {
        (contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingSpaces() } ?? "").lowercased()
    }
}

extension StringProtocol {
    /// Drops leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var s = self[...]
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
