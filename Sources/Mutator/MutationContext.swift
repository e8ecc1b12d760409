import StampedeCore

/// The kind of body a request carries, which decides the body operators that apply.
enum BodyKind {
    case none, json, form, other
}

/// The request being mutated, with its JSON body parsed at most once across stacked operators.
struct MutationContext {
    var request: RequestTemplate
    var dropCookies: Bool
    /// Recorded bodies of the whole corpus, for splicing.
    let donors: [[UInt8]]
    let hugeSizes: [Int]

    /// nil until first needed; `.some(nil)` when the body is not parseable JSON.
    private var parsedJSON: JSONValue??
    private var jsonDirty = false

    static let parser = JSONParser(maximumDepth: 4096, allowsTemplatePlaceholders: true)

    init(request: RequestTemplate, dropCookies: Bool = false, donors: [[UInt8]], hugeSizes: [Int], json: JSONValue?? = nil) {
        self.request = request
        self.dropCookies = dropCookies
        self.donors = donors
        self.hugeSizes = hugeSizes
        self.parsedJSON = json
    }

    /// Parses a body as a template JSON text, as the mutator does.
    static func parseJSONBody(_ body: BodyTemplate?) -> JSONValue? {
        guard let body, let text = body.text, body.base64 == nil else { return nil }
        return try? parser.parse(text)
    }

    var bodyKind: BodyKind {
        guard let body = request.body else { return .none }
        guard body.base64 == nil, let text = body.text else { return .other }
        let type = (body.contentType ?? request.header("Content-Type") ?? "").lowercased()
        if type.contains("json") { return .json }
        if type.contains("x-www-form-urlencoded") { return .form }
        if type.isEmpty, let first = text.utf8.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }),
            first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
        {
            return .json
        }
        return .other
    }

    /// Whether JSON operators may try this body (it may still fail to parse).
    var mayHoldJSON: Bool {
        if case .some(.none) = parsedJSON { return false }
        return bodyKind == .json
    }

    /// Runs `edit` on the parsed JSON body; nil when the body is not JSON or `edit` declined.
    mutating func withJSON<R>(_ edit: (inout JSONValue) -> R?) -> R? {
        if parsedJSON == nil {
            parsedJSON = bodyKind == .json ? MutationContext.parseJSONBody(request.body) : .some(nil)
        }
        guard case .some(.some(var value)) = parsedJSON else { return nil }
        parsedJSON = .some(nil)  // drop the reference so `value` is edited in place
        let result = edit(&value)
        parsedJSON = .some(value)
        if result != nil { jsonDirty = true }
        return result
    }

    /// Reads the parsed JSON body without marking it changed; nil when the body is not JSON.
    mutating func readJSON<R>(_ read: (JSONValue) -> R) -> R? {
        if parsedJSON == nil {
            parsedJSON = bodyKind == .json ? MutationContext.parseJSONBody(request.body) : .some(nil)
        }
        guard case .some(.some(let value)) = parsedJSON else { return nil }
        return read(value)
    }

    /// Writes a pending JSON edit back into the body text.
    mutating func flushJSON() {
        guard jsonDirty, case .some(.some(let value)) = parsedJSON, var body = request.body else { return }
        body.text = value.serialized()
        body.base64 = nil
        request.body = body
        jsonDirty = false
    }

    /// The body's bytes, after any pending JSON edit.
    mutating func bodyBytes() -> [UInt8] {
        flushJSON()
        return request.body?.rawBytes ?? []
    }

    /// Replaces the body bytes (text when valid UTF-8, base64 otherwise); JSON must be re-parsed.
    mutating func setBodyBytes(_ bytes: [UInt8]) {
        flushJSON()
        let contentType = request.body?.contentType
        request.body = BodyTemplate(bytes: bytes, contentType: contentType)
        parsedJSON = nil
    }

    /// Replaces the whole body (or removes it); JSON must be re-parsed.
    mutating func setBody(_ body: BodyTemplate?) {
        flushJSON()
        jsonDirty = false
        request.body = body
        parsedJSON = nil
    }

    /// The final request, with pending edits written out.
    mutating func finish() -> MutatedRequest {
        flushJSON()
        return MutatedRequest(request: request, dropCookies: dropCookies)
    }

    mutating func hugeSize(_ rng: inout SeededGenerator) -> Int {
        // Favour the smaller sizes: each step up is half as likely.
        var i = 0
        while i + 1 < hugeSizes.count, rng.chance(0.5) { i += 1 }
        return hugeSizes[i]
    }
}

/// One request part, to say what an operator may change.
public enum RequestPart: String, Hashable, Sendable, CaseIterable {
    case method, path, query, headers, body, cookies
}

/// Public facts about an operator.
public struct MutationOperatorInfo: Hashable, Sendable {
    public var name: String
    /// The parts of a request the operator may change; all others stay as they were.
    public var parts: Set<RequestPart>
    public var defaultWeight: Double
}

/// A named, small mutation of a request.
struct MutationOperator: Sendable {
    let name: String
    let parts: Set<RequestPart>
    let weight: Double
    /// Cheap pre-check; `apply` may still decline (return nil) without changing anything.
    let applies: @Sendable (inout MutationContext) -> Bool
    /// Changes the context and describes what it did, or returns nil and changes nothing.
    let apply: @Sendable (inout MutationContext, inout SeededGenerator) -> String?

    init(
        _ name: String, _ parts: Set<RequestPart>, weight: Double = 1,
        applies: @escaping @Sendable (inout MutationContext) -> Bool = { _ in true },
        apply: @escaping @Sendable (inout MutationContext, inout SeededGenerator) -> String?
    ) {
        self.name = name
        self.parts = parts
        self.weight = weight
        self.applies = applies
        self.apply = apply
    }

    var info: MutationOperatorInfo {
        MutationOperatorInfo(name: name, parts: parts, defaultWeight: weight)
    }

    /// Every operator, in a fixed order (the order is part of reproducibility).
    static let catalog: [MutationOperator] =
        MethodOperators.all + PathOperators.all + QueryOperators.all + HeaderOperators.all
        + BodyOperators.all + JSONOperators.all + FormOperators.all + ByteOperators.all
}
