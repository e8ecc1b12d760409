import Foundation
import OpenAPIKit
public import StampedeCore
import StampedeHTTP

extension SchemaRequestGenerator {
    /// Every constraint of the operation that a request (variables rendered) breaks, part by part:
    /// each parameter and the body read back the way a server parses them (path segments and query
    /// values percent-decoded, text coerced to the schema's type, arrays exploded or comma-split,
    /// the body parsed as JSON or a form), then validated with `SchemaValidator`. A required part
    /// that is absent breaks `required` with no pointer. Empty for a valid request.
    ///
    /// Path parameters are read only when the request's path has the operation's shape (aligned from
    /// the end, literal segments equal); on another path nothing is said about them.
    public func violations(of request: RequestTemplate) -> [RequestViolation] {
        let validator = SchemaValidator()
        var out: [RequestViolation] = []
        for part in parts {
            guard let value = value(of: part, in: request) else {
                if part.required, part.location != .path || pathMatches(request.path) {
                    out.append(RequestViolation(location: part.location, name: part.name, pointer: nil, constraint: .required))
                }
                continue
            }
            for violation in validator.validate(value, against: part.schema) {
                out.append(RequestViolation(location: part.location, name: part.name, at: violation.pointer, violation.constraint))
            }
        }
        return out
    }

    /// Whether `request` is an instance of the operation: its method, and a path of the template's shape.
    /// (`violations(of:)` reads any request as if it were; a request on another operation breaks nothing of this one.)
    public func isInstance(_ request: RequestTemplate) -> Bool {
        request.method == method && pathMatches(request.path)
    }

    /// The value a server reads for `part` from `request`; nil when the part is absent.
    func value(of part: RequestPartSpec, in request: RequestTemplate) -> JSONValue? {
        switch part.location {
        case .path:
            return pathValue(part.name, in: request.path).map { RequestValueText.coerced($0, for: part.schema) }
        case .query:
            let items = request.query.filter { $0.name == part.name }.map { $0.value ?? "" }
            guard let first = items.first else { return nil }
            if items.count > 1, case .array(_, let context) = part.schema {
                return .array(items.map { RequestValueText.coerced($0, for: context.items ?? .fragment(.init())) })
            }
            return RequestValueText.coerced(first, for: part.schema)
        case .header:
            return request.headers.value(named: part.name).map { RequestValueText.coerced($0, for: part.schema) }
        case .cookie:
            return Self.cookie(part.name, in: request.headers).map { RequestValueText.coerced($0, for: part.schema) }
        case .body:
            return request.body.flatMap { Self.bodyValue($0.rawBytes, contentType: bodyContentType, schema: part.schema) }
        }
    }

    /// The decoded text of path parameter `name`, when `path` has the template's shape.
    func pathValue(_ name: String, in path: String) -> String? {
        let template = Self.segments(self.path), actual = Self.segments(path)
        guard pathMatches(path), let index = template.firstIndex(of: "{" + name + "}") else { return nil }
        return PercentEncoding.decode(actual[actual.count - template.count + index])
    }

    /// Whether `path` ends with the template's segments (literal ones equal, `{param}` ones any).
    func pathMatches(_ path: String) -> Bool {
        let template = Self.segments(self.path), actual = Self.segments(path)
        guard actual.count >= template.count else { return false }
        return zip(template, actual.suffix(template.count)).allSatisfy { pattern, segment in
            (pattern.hasPrefix("{") && pattern.hasSuffix("}")) || pattern == segment
        }
    }

    static func segments(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    /// The value of cookie `name` in the request's `Cookie` headers.
    static func cookie(_ name: String, in headers: [HTTPHeader]) -> String? {
        for header in headers where HTTPHeader.namesEqual(header.name, "Cookie") {
            for pair in header.value.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if parts[0].trimmingCharacters(in: .whitespaces) == name { return parts.count > 1 ? String(parts[1]) : "" }
            }
        }
        return nil
    }

    /// A body as the operation's media type reads it: JSON (text that is not JSON stands for
    /// itself as a string, which breaks a non-string schema's `type`), a form (members coerced by
    /// their property schemas) or plain text. Nil for no body or an empty one.
    static func bodyValue(_ bytes: [UInt8], contentType: String?, schema: DereferencedJSONSchema) -> JSONValue? {
        guard !bytes.isEmpty else { return nil }
        let type = (contentType ?? "").lowercased()
        if type.contains("json") {
            return (try? JSONParser().parse(bytes)) ?? .string(String(decoding: bytes, as: UTF8.self))
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard type.contains("x-www-form-urlencoded") else { return .string(text) }
        let properties: OrderedDictionary<String, DereferencedJSONSchema> = if case .object(_, let context) = schema { context.properties } else { [:] }
        return .object(QueryItem.parse(Substring(text)).map { item in
            let value = item.value ?? ""
            return JSONMember(item.name, properties[item.name].map { RequestValueText.coerced(value, for: $0) } ?? .string(value))
        })
    }
}
