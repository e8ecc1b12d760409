import StampedeCore
import StampedeHTTP

/// The kind of body a request carries, which decides the body operators that apply.
enum BodyKind {
    case none, json, form, other
}

/// The request being mutated, with its JSON body parsed at most once across stacked operators.
struct MutationContext {
    var request: RequestTemplate {
        didSet { facts = nil }
    }
    var dropCookies: Bool
    /// Recorded bodies of the whole corpus, for splicing.
    let donors: [[UInt8]]
    let hugeSizes: [Int]
    /// Largest body a size bomb may produce, in bytes.
    let maximumBody: Int

    /// nil until first needed; `.some(nil)` when the body is not parseable JSON.
    private var parsedJSON: JSONValue??
    private var jsonDirty = false
    /// A bomb standing on the parsed tree but not built into it (`JSONBomb`); built before anyone reads the tree.
    private var pendingBomb: JSONBomb?
    /// Facts about `request` that many operators' `applies` ask for; cleared on every change.
    private var facts: Facts?

    static let parser = JSONParser(maximumDepth: 4096, allowsTemplatePlaceholders: true)

    init(
        request: RequestTemplate, dropCookies: Bool = false, donors: [[UInt8]], hugeSizes: [Int],
        maximumBody: Int = MutatorConfiguration.defaultMaximumBody, json: JSONValue?? = nil
    ) {
        self.request = request
        self.dropCookies = dropCookies
        self.donors = donors
        self.hugeSizes = hugeSizes
        self.maximumBody = maximumBody
        self.parsedJSON = json
    }

    /// Parses a body as a template JSON text, as the mutator does.
    static func parseJSONBody(_ body: BodyTemplate?) -> JSONValue? {
        guard let body, let text = body.text, body.base64 == nil else { return nil }
        return try? parser.parse(text)
    }

    /// What a request offers to operators, as bits an operator's requirements are checked against.
    struct Facts: OptionSet {
        let rawValue: UInt32
        static let query = Facts(rawValue: 1 << 0)
        static let headers = Facts(rawValue: 1 << 1)
        static let csrfHeader = Facts(rawValue: 1 << 2)
        static let contentTypeHeader = Facts(rawValue: 1 << 3)
        static let body = Facts(rawValue: 1 << 4)
        static let noBody = Facts(rawValue: 1 << 5)
        static let nonEmptyBody = Facts(rawValue: 1 << 6)
        /// A body that is JSON by its content type or first byte, and not known to fail parsing.
        static let json = Facts(rawValue: 1 << 7)
        static let form = Facts(rawValue: 1 << 8)
        /// A non-empty body that is neither JSON nor absent: byte havoc applies.
        static let rawBody = Facts(rawValue: 1 << 9)
        static let identifier = Facts(rawValue: 1 << 10)
        static let donors = Facts(rawValue: 1 << 11)
    }

    /// Takes a path operation back: the path as it was, and the facts computed for it before the
    /// operation (a path operator changes nothing else, so they hold again).
    mutating func restorePath(_ path: String, facts saved: Facts) {
        let kind = bodyKindCache
        request.path = path
        facts = saved
        bodyKindCache = kind
    }

    /// The facts of the current request (computed once per change).
    mutating func currentFacts() -> Facts {
        if let facts { return facts }
        let (headerFacts, contentType) = currentHeaderFacts()
        let kind = MutationContext.bodyKind(of: request, contentTypeHeader: contentType)
        var f = headerFacts
        if !request.query.isEmpty { f.insert(.query) }
        if request.body == nil { f.insert(.noBody) } else { f.insert(.body) }
        if hasNonEmptyBody { f.insert(.nonEmptyBody) }
        var jsonKnownBad = false
        if case .some(.none) = parsedJSON { jsonKnownBad = true }
        if kind == .json && !jsonKnownBad { f.insert(.json) }
        if kind == .form { f.insert(.form) }
        if (kind == .other || kind == .form) && hasNonEmptyBody { f.insert(.rawBody) }
        if pathHasIdentifier() { f.insert(.identifier) }
        if !donors.isEmpty { f.insert(.donors) }
        facts = f
        bodyKindCache = kind
        return f
    }

    private var bodyKindCache: BodyKind = .none

    /// The header facts and the position of the Content-Type header, with the headers they were
    /// found in: most operators leave the headers alone, and comparing an unchanged array is one test.
    private var headerFacts: (headers: [HTTPHeader], facts: Facts, contentType: Int?)?

    private mutating func currentHeaderFacts() -> (Facts, contentType: Int?) {
        if let headerFacts, headerFacts.headers == request.headers { return (headerFacts.facts, headerFacts.contentType) }
        var f: Facts = []
        if !request.headers.isEmpty { f.insert(.headers) }
        if HeaderOperators.index(of: "X-CSRF-Token", in: request.headers) != nil { f.insert(.csrfHeader) }
        let contentType = HeaderOperators.index(of: "Content-Type", in: request.headers)
        if contentType != nil { f.insert(.contentTypeHeader) }
        headerFacts = (request.headers, f, contentType)
        return (f, contentType)
    }

    var bodyKind: BodyKind {
        mutating get {
            _ = currentFacts()
            return bodyKindCache
        }
    }

    static func hasIdentifierSegment(_ path: String) -> Bool {
        var text = path
        return text.withUTF8 { bytes in
            var start = 0
            for end in 0...bytes.count where end == bytes.count || bytes[end] == UInt8(ascii: "/") {
                if start < end, EndpointTemplate.isIdentifier(utf8: UnsafeBufferPointer(rebasing: bytes[start..<end])) { return true }
                start = end + 1
            }
            return false
        }
    }

    /// The path the identifier fact was computed for: most operators leave the path alone.
    private var identifierPath: String?
    private var identifierFact = false

    mutating func pathHasIdentifier() -> Bool {
        if let identifierPath, identifierPath == request.path { return identifierFact }
        identifierFact = MutationContext.hasIdentifierSegment(request.path)
        identifierPath = request.path
        return identifierFact
    }

    static func bodyKind(of request: RequestTemplate) -> BodyKind {
        bodyKind(of: request, contentTypeHeader: HeaderOperators.index(of: "Content-Type", in: request.headers))
    }

    /// `bodyKind(of:)` with the position of the request's first Content-Type header already known.
    static func bodyKind(of request: RequestTemplate, contentTypeHeader: Int?) -> BodyKind {
        guard let body = request.body else { return .none }
        guard body.base64 == nil, let text = body.text else { return .other }
        let type = body.contentType ?? contentTypeHeader.map { request.headers[$0].value } ?? ""
        if containsASCIICaseInsensitive(type, "json") { return .json }
        if containsASCIICaseInsensitive(type, "x-www-form-urlencoded") { return .form }
        if type.isEmpty, let first = text.utf8.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }),
            first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
        {
            return .json
        }
        return .other
    }

    /// Substring search on bytes: the standard library's generic search is far slower for this.
    static func containsASCIICaseInsensitive(_ haystack: String, _ lowercaseNeedle: StaticString) -> Bool {
        let needle = UnsafeBufferPointer(start: lowercaseNeedle.utf8Start, count: lowercaseNeedle.utf8CodeUnitCount)
        var text = haystack
        return text.withUTF8 { contains($0, needle) }
    }

    static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= needle.count else { return false }
        outer: for start in 0...(bytes.count - needle.count) {
            for j in 0..<needle.count {
                var b = bytes[start + j]
                if b >= 0x41 && b <= 0x5A { b |= 0x20 }
                if b != needle[j] { continue outer }
            }
            return true
        }
        return false
    }

    /// Runs `edit` on the parsed JSON body; nil when the body is not JSON or `edit` declined.
    mutating func withJSON<R>(_ edit: (inout JSONValue) -> R?) -> R? {
        parseJSONIfNeeded()
        guard case .some(.some(var value)) = parsedJSON else { return nil }
        parsedJSON = .some(nil)  // drop the reference so `value` is edited in place
        let result = edit(&value)
        parsedJSON = .some(value)
        if result != nil { jsonDirty = true }
        return result
    }

    /// Reads the parsed JSON body without marking it changed; nil when the body is not JSON.
    mutating func readJSON<R>(_ read: (JSONValue) -> R) -> R? {
        parseJSONIfNeeded()
        guard case .some(.some(let value)) = parsedJSON else { return nil }
        return read(value)
    }

    /// Parses the body when that was not tried yet, and builds a pending bomb into the tree.
    private mutating func parseJSONIfNeeded() {
        if parsedJSON == nil {
            parsedJSON = bodyKind == .json ? MutationContext.parseJSONBody(request.body) : .some(nil)
            if case .some(.none) = parsedJSON { facts = nil }
        }
        guard let bomb = pendingBomb, case .some(.some(var value)) = parsedJSON else { return }
        pendingBomb = nil
        parsedJSON = .some(nil)  // drop the reference so `value` is edited in place
        _ = value.modify(at: bomb.path[...], bomb.build)
        parsedJSON = .some(value)
    }

    /// Places a bomb on the node at `path` of the parsed body without building it; nil when the body is not JSON.
    mutating func placeBomb(_ shape: JSONBomb.Shape, pick: (JSONValue) -> [Int]?) -> JSONBomb? {
        guard let path = readJSON(pick) ?? nil else { return nil }
        let bomb = JSONBomb(path: path, shape: shape)
        pendingBomb = bomb
        jsonDirty = true
        return bomb
    }

    /// Writes a pending JSON edit back into the body text.
    mutating func flushJSON() {
        guard jsonDirty, case .some(.some(let value)) = parsedJSON, var body = request.body else { return }
        var out: [UInt8] = []
        out.reserveCapacity(max(64, bodyBytesEstimate + 16))
        if let pendingBomb { pendingBomb.write(value, to: &out) } else { value.write(to: &out) }
        body.text = String(decoding: out, as: UTF8.self)
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
        pendingBomb = nil
    }

    /// Replaces the whole body (or removes it); JSON must be re-parsed.
    mutating func setBody(_ body: BodyTemplate?) {
        flushJSON()
        jsonDirty = false
        request.body = body
        parsedJSON = nil
        pendingBomb = nil
    }

    /// The body's size as last written (a pending JSON edit is not counted): enough to bound a bomb.
    var bodyBytesEstimate: Int {
        request.body?.text?.utf8.count ?? request.body?.base64?.utf8.count ?? 0
    }

    /// Whether there is a body with at least one byte, without decoding it.
    var hasNonEmptyBody: Bool {
        guard let body = request.body else { return false }
        if let text = body.text { return !text.isEmpty }
        return !(body.base64?.isEmpty ?? true)
    }

    /// The final request, with pending edits written out (the context ends: its request moves out).
    consuming func finish() -> MutatedRequest {
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
    /// The operator's name, as in `MutationOperation.name`.
    public var name: String
    /// The parts of a request the operator may change; all others stay as they were.
    public var parts: Set<RequestPart>
    /// Relative chance of being drawn before configuration and feedback.
    public var defaultWeight: Double
}

/// A named, small mutation of a request.
struct MutationOperator: Sendable {
    let name: String
    let parts: Set<RequestPart>
    let weight: Double
    /// What the request must offer; `apply` may still decline (return nil) without changing anything.
    let requires: MutationContext.Facts
    /// Changes the context and describes what it did, or returns nil and changes nothing.
    let apply: @Sendable (inout MutationContext, inout SeededGenerator) -> String?
    /// For a probe: how many variants it has for a request; `apply`'s first draw is
    /// `next(below:)` that count, so a seed chosen for a variant re-applies to it.
    let variants: (@Sendable (inout MutationContext) -> Int)?

    init(
        _ name: String, _ parts: Set<RequestPart>, weight: Double = 1,
        requires: MutationContext.Facts = [],
        variants: (@Sendable (inout MutationContext) -> Int)? = nil,
        apply: @escaping @Sendable (inout MutationContext, inout SeededGenerator) -> String?
    ) {
        self.name = name
        self.parts = parts
        self.weight = weight
        self.requires = requires
        self.variants = variants
        self.apply = apply
    }

    var info: MutationOperatorInfo {
        MutationOperatorInfo(name: name, parts: parts, defaultWeight: weight)
    }

    /// Every operator, in a fixed order (the order is part of reproducibility).
    static let catalog: [MutationOperator] =
        MethodOperators.all + PathOperators.all + QueryOperators.all + HeaderOperators.all
        + BodyOperators.all + JSONOperators.all + FormOperators.all + ByteOperators.all + HeaderGrammar.all
        + ProbeOperators.all
}
