import Foundation
import OpenAPIKit
import StampedeCore
import StampedeHTTP

extension SchemaRequestGenerator {
    /// The body content generated for: JSON first, then form, then plain text (other media types
    /// such as multipart are not generated).
    static func bodyContent(_ request: DereferencedRequest) -> (contentType: String, schema: DereferencedJSONSchema)? {
        let preferred = ["json", "x-www-form-urlencoded", "text/plain"]
        for want in preferred {
            for (type, content) in request.content where type.rawValue.lowercased().contains(want) {
                return (type.rawValue, content.schema ?? .fragment(.init()))
            }
        }
        return nil
    }

    /// The request of positive variant `variant`, with one part replaced (nil value: left out).
    func build(variant: Int, replacing: (index: Int, value: JSONValue?)?) -> RequestTemplate {
        var request = RequestTemplate(method: method, path: path)
        var cookies: [String] = []
        for (index, part) in parts.enumerated() {
            let text: String?
            let value: JSONValue?
            if let replacing, replacing.index == index {
                value = replacing.value
                text = value.map(RequestValueText.text(of:))
            } else if part.location != .body, let known = bound[part.name] {
                value = nil
                text = known
            } else {
                value = positiveValue(part, variant: variant)
                text = value.map(RequestValueText.text(of:))
            }
            switch part.location {
            case .path: request.path = Self.substitute(part.name, with: text ?? "", in: request.path)
            case .query: if let value, let text { request.query += Self.queryItems(part.name, value, text, schema: part.schema) }
                else if let text { request.query.append(QueryItem(part.name, text)) }
            case .header: if let text { request.headers.append(HTTPHeader(part.name, text)) }
            case .cookie: if let text { cookies.append(part.name + "=" + text) }
            case .body:
                if let value { setBody(value, on: &request, keepingBound: replacing?.index != index) }
                // A left-out body still says what it would have been, so only its absence is wrong.
                else if replacing?.index == index, let type = bodyContentType { request.headers.append(HTTPHeader("Content-Type", type)) }
            }
        }
        if !cookies.isEmpty { request.headers.append(HTTPHeader("Cookie", cookies.joined(separator: "; "))) }
        return request
    }

    /// The part's value in a positive variant: variant 0 leaves optional parts out.
    func positiveValue(_ part: RequestPartSpec, variant: Int) -> JSONValue? {
        guard part.required || variant > 0 else { return nil }
        guard !part.positives.isEmpty else {
            // Nothing valid could be generated: a required parameter still needs some text.
            return part.required && part.location != .body ? .string("x") : nil
        }
        return part.positives[variant % part.positives.count]
    }

    /// `{name}` in the path replaced by the value, percent-encoded (a `{{variable}}` stays whole).
    static func substitute(_ name: String, with text: String, in path: String) -> String {
        let encoded = text.contains("{{") ? text : PercentEncoding.encode(text)
        return path.replacingOccurrences(of: "{" + name + "}", with: encoded)
    }

    /// Query items of a parameter: arrays of an array parameter exploded into one item per element
    /// (OpenAPI's default `form` style). An array sent as a wrongly typed value of a scalar parameter
    /// stays one item: exploded, `[]` would send nothing and `[1, 2]` a valid `limit=1` first.
    static func queryItems(_ name: String, _ value: JSONValue, _ text: String, schema: DereferencedJSONSchema) -> [QueryItem] {
        if case .array(let items) = value, case .array = schema { return items.map { QueryItem(name, $0.scalarText) } }
        return [QueryItem(name, text)]
    }

    /// Sets the body (JSON or form) and its `Content-Type`; top-level members named like a bound
    /// value take it when the schema accepts it.
    func setBody(_ value: JSONValue, on request: inout RequestTemplate, keepingBound: Bool) {
        guard let contentType = bodyContentType, let part = parts.last, part.location == .body else { return }
        var value = value
        if keepingBound, case .object(var members) = value {
            for i in members.indices {
                guard let known = bound[members[i].key] else { continue }
                var trial = members
                trial[i].value = .string(known)
                if SchemaValidator().isValid(.object(trial), against: part.schema) { members = trial }
            }
            value = .object(members)
        }
        request.body = BodyTemplate(text: Self.bodyText(value, contentType: contentType), contentType: contentType)
        request.headers.append(HTTPHeader("Content-Type", contentType))
    }

    /// A body value as sent: a form of the object's members (scalars as text), JSON, or plain text.
    static func bodyText(_ value: JSONValue, contentType: String?) -> String {
        let type = (contentType ?? "").lowercased()
        if type.contains("x-www-form-urlencoded") {
            return (value.objectMembers ?? []).map { PercentEncoding.encode($0.key) + "=" + PercentEncoding.encode($0.value.scalarText) }
                .joined(separator: "&")
        }
        return type.contains("json") ? value.serialized() : value.scalarText
    }
}
