import Foundation
import StampedeCore
import StampedeHTTP

/// Where a request value sits, for correlation and redaction to decide what to do with it.
struct ValueSlot {
    enum Kind: Equatable {
        case pathSegment, query, header, jsonLeaf, form, text
    }

    var kind: Kind
    /// Query or form name, header name, JSON member key (nearest object key), or empty.
    var key: String
    /// JSON pointer for JSON leaves, else empty.
    var pointer: String
    var value: String
    /// A JSON number leaf: a replacement must be a bare placeholder.
    var isNumber: Bool
}

/// A request being turned into a template: its parts are editable values until `template()`.
struct StepDraft {
    enum Body {
        case none
        case json(JSONValue)
        case form([QueryItem])
        case text(String)
        case binary([UInt8])
    }

    var exchange: RecordedExchange
    var segments: [String]
    var query: [QueryItem]
    var headers: [HTTPHeader]
    var body: Body
    var contentType: String?
    /// Set when the body was parsed and edited, so it is re-serialized.
    var bodyEdited = false
    var step = Step(request: RequestTemplate(method: "GET", path: "/"))

    /// Request headers never stored: the cookie jar and the HTTP stack provide them.
    static let droppedHeaders: Set<String> = [
        "cookie", "host", "content-length", "connection", "keep-alive", "transfer-encoding", "te",
        "upgrade", "proxy-connection", "expect", "accept-encoding", "via", "forwarded",
        "if-none-match", "if-modified-since", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto",
    ]

    init(_ exchange: RecordedExchange) {
        self.exchange = exchange
        segments = exchange.path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        query = exchange.query
        headers = exchange.requestHeaders.filter { header in
            let name = header.name.lowercased()
            return !name.hasPrefix(":") && !Self.droppedHeaders.contains(name)
        }
        contentType = exchange.requestHeader("content-type")
        let media = exchange.requestMediaType ?? ""
        let bytes = exchange.requestBody
        if bytes.isEmpty {
            body = .none
        } else if media == "application/x-www-form-urlencoded", let text = String(validating: bytes, as: UTF8.self) {
            body = .form(QueryItem.parse(text[...]))
        } else if media.contains("json") || media.isEmpty || media.hasPrefix("text/"),
            let value = try? JSONParser().parse(bytes), value.kind == .object || value.kind == .array
        {
            body = .json(value)
        } else if let text = String(validating: bytes, as: UTF8.self) {
            body = .text(text)
        } else {
            body = .binary(bytes)
        }
    }

    /// Visits every value slot; a non-nil result replaces the value.
    mutating func rewrite(_ transform: (ValueSlot) -> String?) {
        for i in segments.indices where !segments[i].isEmpty {
            let slot = ValueSlot(kind: .pathSegment, key: "", pointer: "", value: PercentEncoding.decode(segments[i]), isNumber: false)
            if let new = transform(slot) { segments[i] = new }
        }
        for i in query.indices {
            guard let value = query[i].value else { continue }
            if let new = transform(ValueSlot(kind: .query, key: query[i].name, pointer: "", value: value, isNumber: false)) {
                query[i].value = new
            }
        }
        for i in headers.indices {
            let slot = ValueSlot(kind: .header, key: headers[i].name, pointer: "", value: headers[i].value, isNumber: false)
            if let new = transform(slot) { headers[i].value = new }
        }
        switch body {
        case .json(var value):
            var changed = false
            Self.rewriteJSON(&value, pointer: "", key: "", changed: &changed, transform)
            if changed {
                body = .json(value)
                bodyEdited = true
            }
        case .form(var items):
            var changed = false
            for i in items.indices {
                guard let value = items[i].value else { continue }
                if let new = transform(ValueSlot(kind: .form, key: items[i].name, pointer: "", value: value, isNumber: false)) {
                    items[i].value = new
                    changed = true
                }
            }
            if changed {
                body = .form(items)
                bodyEdited = true
            }
        case .text(let text):
            if let new = transform(ValueSlot(kind: .text, key: "", pointer: "", value: text, isNumber: false)) {
                body = .text(new)
                bodyEdited = true
            }
        case .none, .binary:
            break
        }
    }

    /// Every value slot, unchanged.
    func slotValues() -> [ValueSlot] {
        var slots: [ValueSlot] = []
        var scratch = self
        scratch.rewrite { slot in
            slots.append(slot)
            return nil
        }
        return slots
    }

    /// Whether the body carries a non-empty sign-up or login password field.
    var hasLoginPassword: Bool {
        slotValues().contains { slot in
            (slot.kind == .jsonLeaf || slot.kind == .form) && !slot.value.isEmpty && CorrelationPass.loginPasswordKeys.contains(slot.key)
        }
    }

    /// `(user, password)` of an `Authorization: Basic …` request header, as recorded.
    var basicCredentials: (user: String, password: String)? {
        guard let value = exchange.requestHeaders.value(named: "Authorization"), let (scheme, credentials) = Self.scheme(of: value),
            scheme.lowercased() == "basic", let bytes = Base64.decode(credentials),
            let text = String(validating: bytes, as: UTF8.self), let colon = text.firstIndex(of: ":")
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    /// `Bearer abc` → `("Bearer", "abc")`; nil when the value has no `scheme credentials` shape.
    static func scheme(of value: String) -> (scheme: String, credentials: String)? {
        guard let space = value.firstIndex(of: " ") else { return nil }
        let scheme = value[..<space], credentials = value[value.index(after: space)...].trimmingSpaces()
        guard let first = scheme.first, first.isASCII, first.isLetter, !credentials.isEmpty,
            scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return nil }
        return (String(scheme), credentials)
    }

    private static func rewriteJSON(
        _ value: inout JSONValue, pointer: String, key: String, changed: inout Bool, _ transform: (ValueSlot) -> String?
    ) {
        switch value {
        case .object(var members):
            var memberChanged = false
            for i in members.indices {
                let childPointer = pointer + "/" + escape(members[i].key)
                rewriteJSON(&members[i].value, pointer: childPointer, key: members[i].key, changed: &memberChanged, transform)
            }
            if memberChanged {
                value = .object(members)
                changed = true
            }
        case .array(var items):
            var itemChanged = false
            for i in items.indices {
                rewriteJSON(&items[i], pointer: pointer + "/\(i)", key: key, changed: &itemChanged, transform)
            }
            if itemChanged {
                value = .array(items)
                changed = true
            }
        case .string(let s):
            if let new = transform(ValueSlot(kind: .jsonLeaf, key: key, pointer: pointer, value: s, isNumber: false)) {
                value = .string(new)
                changed = true
            }
        case .number(let n):
            if let new = transform(ValueSlot(kind: .jsonLeaf, key: key, pointer: pointer, value: n.text, isNumber: true)) {
                // A number can only become a bare placeholder; anything else would not be JSON.
                guard Template.variables(in: new).count == 1, new.hasPrefix("{{"), new.hasSuffix("}}") else { return }
                value = .number(JSONNumber(text: new))
                changed = true
            }
        case .bool, .null:
            break
        }
    }

    static func escape(_ key: String) -> String {
        key.replacing("~", with: "~0").replacing("/", with: "~1")
    }

    /// The finished request template.
    func template() -> RequestTemplate {
        var request = RequestTemplate(
            method: exchange.method, path: segments.joined(separator: "/"), query: query, headers: headers)
        switch body {
        case .none:
            break
        case .json(let value):
            request.body = bodyEdited
                ? BodyTemplate(text: value.serialized(), contentType: contentType)
                : BodyTemplate(bytes: exchange.requestBody, contentType: contentType)
        case .form(let items):
            request.body = bodyEdited
                ? BodyTemplate(text: Self.encodeForm(items), contentType: contentType)
                : BodyTemplate(bytes: exchange.requestBody, contentType: contentType)
        case .text(let text):
            request.body = BodyTemplate(text: text, contentType: contentType)
        case .binary(let bytes):
            request.body = BodyTemplate(bytes: bytes, contentType: contentType)
        }
        return request
    }

    /// Form encoding that leaves `{{placeholders}}` readable (percent-encoding them would hide
    /// them from the template renderer); the replayer encodes what it substitutes.
    static func encodeForm(_ items: [QueryItem]) -> String {
        items.map { item in
            let name = PercentEncoding.encode(item.name)
            guard let value = item.value else { return name }
            return name + "=" + encodeKeepingPlaceholders(value)
        }.joined(separator: "&")
    }

    static func encodeKeepingPlaceholders(_ text: String) -> String {
        var out = ""
        var rest = text[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            out += PercentEncoding.encode(rest[..<open.lowerBound])
            out += rest[open.lowerBound..<close.upperBound]
            rest = rest[close.upperBound...]
        }
        return out + PercentEncoding.encode(rest)
    }
}

extension String {
    /// Replaces `literal` with `replacement` outside existing `{{…}}` placeholders.
    func replacingOutsidePlaceholders(_ literal: String, with replacement: String) -> String {
        guard !literal.isEmpty, contains(literal) else { return self }
        var out = ""
        var rest = self[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            out += String(rest[..<open.lowerBound]).replacing(literal, with: replacement)
            out += rest[open.lowerBound..<close.upperBound]
            rest = rest[close.upperBound...]
        }
        return out + String(rest).replacing(literal, with: replacement)
    }

    /// A path or URL with each `/`-separated segment of its path part (before `?` or `#`) that
    /// `transform` maps replaced; segments holding a placeholder are left alone.
    func replacingPathSegments(_ transform: (String) -> String?) -> String {
        let end = firstIndex { $0 == "?" || $0 == "#" } ?? endIndex
        let segments = self[..<end].split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
            let text = String(segment)
            guard !text.isEmpty, !text.contains("{{") else { return text }
            return transform(PercentEncoding.decode(text)) ?? text
        }
        return segments.joined(separator: "/") + self[end...]
    }

    /// The decoded non-empty segments of the path part of a path or URL.
    var pathSegments: [String] {
        prefix { $0 != "?" && $0 != "#" }.split(separator: "/").map { PercentEncoding.decode($0) }
    }

    /// Whether the whole value is one `{{placeholder}}`.
    var isPlaceholder: Bool {
        hasPrefix("{{") && hasSuffix("}}") && Template.variables(in: self).count == 1
    }
}
