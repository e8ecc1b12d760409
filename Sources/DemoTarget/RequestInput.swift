import Foundation
import Hummingbird

/// Parsing and validation of the raw inputs a handler reads: query, form and JSON bodies, fields.
///
/// Every failure is an ``APIError`` in the 4xx range; nothing here can produce a 5xx.
enum RequestInput {
    static let maxBodyBytes = 1 << 20
    static let maxScriptBytes = 64 * 1024

    /// `application/x-www-form-urlencoded` (and query string) pairs; first occurrence of a key wins.
    /// `nil` when a percent escape is malformed.
    static func formPairs(_ text: Substring) -> [String: String]? {
        var pairs: [String: String] = [:]
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            let keyValue = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = decodeFormComponent(keyValue[0]) else { return nil }
            let value = keyValue.count > 1 ? decodeFormComponent(keyValue[1]) : ""
            guard let value else { return nil }
            if pairs[key] == nil { pairs[key] = value }
        }
        return pairs
    }

    private static func decodeFormComponent(_ text: Substring) -> String? {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// The request's query parameters (422 on a malformed escape).
    static func query(_ request: Request) throws -> [String: String] {
        guard let query = request.uri.query, !query.isEmpty else { return [:] }
        guard let pairs = formPairs(Substring(query)) else {
            throw APIError.validation(["query"], "Malformed query string")
        }
        return pairs
    }

    /// An integer query parameter; `fallback` when absent, 422 when not an integer.
    static func integer(_ query: [String: String], _ name: String, default fallback: Int) throws -> Int {
        guard let text = query[name] else { return fallback }
        guard let value = Int(text) else {
            throw APIError.validation(["query", name], "Input should be a valid integer")
        }
        return value
    }

    /// 422 unless `value` is within `range`.
    static func require(_ value: Int, in range: ClosedRange<Int>, _ name: String) throws {
        guard range.contains(value) else {
            throw APIError.validation(["query", name], "\(name) must be between \(range.lowerBound) and \(range.upperBound)")
        }
    }

    /// The whole body (413 past `maxBodyBytes`).
    static func bodyData(_ request: Request) async throws -> Data {
        let buffer = try await request.body.collect(upTo: maxBodyBytes)
        return Data(buffer.readableBytesView)
    }

    /// The body as a JSON object (422 for invalid JSON or another JSON type). With `maximumDepth`,
    /// the nesting depth is first handed to it (a planted defect may throw), then limited to
    /// ``PlantedDefects/maximumDepth`` levels (422 beyond).
    static func jsonObject(_ request: Request, maximumDepth: ((Int) throws -> Void)? = nil) async throws -> JSONValue {
        let data = try await bodyData(request)
        guard let value = JSONValue.parse(data) else {
            throw APIError.validation(["body"], "JSON decode error")
        }
        if let maximumDepth {
            let depth = value.depth
            try maximumDepth(depth)
            guard depth <= PlantedDefects.maximumDepth else {
                throw APIError.validation(["body"], "JSON nested deeper than \(PlantedDefects.maximumDepth) levels")
            }
        }
        guard value.isObject else {
            throw APIError.validation(["body"], "Input should be a valid dictionary or object, got \(value.typeName)")
        }
        return value
    }

    /// A required string member (422 when missing or of another type).
    static func string(_ body: JSONValue, _ name: String) throws -> String {
        guard let member = body[name], member != .null else {
            throw APIError.validation(["body", name], "Field required")
        }
        guard let value = member.stringValue else {
            throw APIError.validation(["body", name], "Input should be a valid string, got \(member.typeName)")
        }
        return value
    }

    /// An optional string member: `nil` when missing or null, 422 for another type.
    static func optionalString(_ body: JSONValue, _ name: String) throws -> String? {
        guard let member = body[name], member != .null else { return nil }
        guard let value = member.stringValue else {
            throw APIError.validation(["body", name], "Input should be a valid string, got \(member.typeName)")
        }
        return value
    }

    /// 422 unless the character count is within `range`.
    static func requireLength(_ value: String, _ range: ClosedRange<Int>, _ name: String) throws {
        guard range.contains(value.count) else {
            throw APIError.validation(["body", name], "\(name) must be \(range.lowerBound) to \(range.upperBound) characters")
        }
    }

    /// 413 for scripts over 64 KiB of UTF-8.
    static func requireScriptSize(_ script: String) throws {
        guard script.utf8.count <= maxScriptBytes else {
            throw APIError(.contentTooLarge, "Script exceeds \(maxScriptBytes) bytes")
        }
    }
}
