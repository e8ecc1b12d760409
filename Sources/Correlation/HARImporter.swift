import Foundation
import StampedeCore
import StampedeHTTP

/// Reads a HAR 1.2 file (browser devtools "Save all as HAR") into exchanges.
///
/// Only entries under the base URL are kept, and only API traffic: entries whose
/// `_resourceType` (Chrome, Firefox) or response type says image, stylesheet, script, font or
/// media are skipped. The whole file is one client: its `Cookie` headers (or `cookies` arrays)
/// and `Set-Cookie` headers drive session grouping as in the proxy.
public enum HARImporter {
    /// The exchanges of a HAR document, oldest first, and the base URL used.
    ///
    /// - Parameters:
    ///   - data: the HAR file's bytes.
    ///   - baseURL: keep entries whose URL starts with it; `nil` takes the origin of the first entry.
    ///   - connection: the client identity used for grouping (`har:<file>`).
    /// - Throws: ``HARImportError`` when the document is not HAR.
    public static func exchanges(fromHAR data: [UInt8], baseURL: String?, connection: String = "har") throws -> (baseURL: String, exchanges: [RecordedExchange]) {
        let document: HARDocument
        do {
            document = try JSONDecoder().decode(HARDocument.self, from: Data(data))
        } catch {
            throw HARImportError("\(error)")
        }
        var base = baseURL ?? document.log.entries.first.flatMap { origin(of: $0.request.url) } ?? ""
        while base.hasSuffix("/") { base.removeLast() }
        guard !base.isEmpty else { throw HARImportError("no entries and no --base-url") }
        var out: [RecordedExchange] = []
        for entry in document.log.entries {
            guard entry.request.url.hasPrefix(base), !isStatic(entry) else { continue }
            var rest = String(entry.request.url.dropFirst(base.count))
            if let hash = rest.firstIndex(of: "#") { rest = String(rest[..<hash]) }
            guard rest.isEmpty || rest.hasPrefix("/") || rest.hasPrefix("?") else { continue }
            var path = rest, query: [QueryItem] = []
            if let q = rest.firstIndex(of: "?") {
                path = String(rest[..<q])
                query = QueryItem.parse(rest[rest.index(after: q)...])
            }
            if path.isEmpty { path = "/" }
            var requestHeaders = entry.request.headers.map { HTTPHeader($0.name, $0.value) }
            if !requestHeaders.contains(named: "Cookie"), let cookies = entry.request.cookies, !cookies.isEmpty {
                requestHeaders.append(HTTPHeader("Cookie", cookies.map { "\($0.name)=\($0.value)" }.joined(separator: "; ")))
            }
            var responseHeaders = entry.response.headers.map { HTTPHeader($0.name, $0.value) }
            if !responseHeaders.contains(named: "Set-Cookie"), let cookies = entry.response.cookies {
                responseHeaders += cookies.map { HTTPHeader("Set-Cookie", "\($0.name)=\($0.value)") }
            }
            var requestBody: [UInt8] = []
            if let post = entry.request.postData {
                if let text = post.text {
                    requestBody = Array(text.utf8)
                } else if let params = post.params {
                    requestBody = Array(QueryItem.encode(params.map { QueryItem($0.name, $0.value ?? "") }).utf8)
                }
                if !requestHeaders.contains(named: "Content-Type"), let mime = post.mimeType, !mime.isEmpty {
                    requestHeaders.append(HTTPHeader("Content-Type", mime))
                }
            }
            var responseBody: [UInt8] = []
            if let text = entry.response.content.text {
                responseBody = entry.response.content.encoding == "base64" ? (Base64.decode(text) ?? []) : Array(text.utf8)
            }
            let started = parseDate(entry.startedDateTime) ?? 0
            out.append(RecordedExchange(
                connection: connection, startedAtMs: started, endedAtMs: started + Int64(max(0, entry.time ?? 0)),
                method: entry.request.method, path: path, query: query, requestHeaders: requestHeaders, requestBody: requestBody,
                status: entry.response.status, responseHeaders: responseHeaders, responseBody: responseBody,
                responseBytes: max(responseBody.count, entry.response.content.size ?? 0)))
        }
        out.sort { $0.startedAtMs < $1.startedAtMs }
        return (base, out)
    }

    static func origin(of url: String) -> String? {
        guard let scheme = url.range(of: "://") else { return nil }
        let afterScheme = url[scheme.upperBound...]
        let end = afterScheme.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? afterScheme.endIndex
        return String(url[..<end])
    }

    static let staticTypes: Set<String> = ["image", "stylesheet", "script", "font", "media", "manifest", "texttrack", "ping", "websocket"]

    static func isStatic(_ entry: HARDocument.Entry) -> Bool {
        if let type = entry.resourceType?.lowercased() { return staticTypes.contains(type) }
        let mime = (entry.response.content.mimeType ?? "").lowercased()
        return mime.hasPrefix("image/") || mime.hasPrefix("font/") || mime.hasPrefix("text/css") || mime.contains("javascript")
            || mime.hasPrefix("audio/") || mime.hasPrefix("video/")
    }

    static func parseDate(_ text: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return Int64(date.timeIntervalSince1970 * 1000) }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text).map { Int64($0.timeIntervalSince1970 * 1000) }
    }
}

/// A file that is not a HAR 1.2 document.
public struct HARImportError: Error, CustomStringConvertible {
    /// What was wrong with it.
    public var reason: String

    init(_ reason: String) {
        self.reason = reason
    }

    /// One line for people.
    public var description: String { "not a HAR 1.2 file: \(reason)" }
}

/// The subset of HAR 1.2 the importer reads.
struct HARDocument: Decodable {
    struct NameValue: Decodable {
        var name: String
        var value: String
    }

    struct Param: Decodable {
        var name: String
        var value: String?
    }

    struct PostData: Decodable {
        var mimeType: String?
        var text: String?
        var params: [Param]?
    }

    struct Request: Decodable {
        var method: String
        var url: String
        var headers: [NameValue]
        var cookies: [NameValue]?
        var postData: PostData?
    }

    struct Content: Decodable {
        var size: Int?
        var mimeType: String?
        var text: String?
        var encoding: String?
    }

    struct Response: Decodable {
        var status: Int
        var headers: [NameValue]
        var cookies: [NameValue]?
        var content: Content
    }

    struct Entry: Decodable {
        var startedDateTime: String
        var time: Double?
        var request: Request
        var response: Response
        var resourceType: String?

        enum CodingKeys: String, CodingKey {
            case startedDateTime, time, request, response
            case resourceType = "_resourceType"
        }
    }

    struct Log: Decodable {
        var version: String?
        var entries: [Entry]
    }

    var log: Log
}
