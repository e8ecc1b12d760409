public import OpenAPIKit
public import Mutator
import StampedeCore
import StampedeHTTP

/// Requests for one OpenAPI operation, generated from its parameter and body schemas: positive
/// ones (valid, with bound values from recorded state where there are some) and negative ones,
/// each violating exactly one constraint in one location (path, query, header, cookie or body).
///
/// A pure function of the operation, the bound values and a seed: `request(seed:)` picks case
/// `seed % caseCount`, so the same seed always gives the same request, and `request(for:)`
/// re-creates a request from its `MutationOperation` alone (what crash records store).
///
/// ```swift
/// let generator = SchemaRequestGenerator(operation: op, path: "/api/v1/scripts/{id}", method: "PUT",
///                                        bound: ["id": "{{script_id}}"])
/// for generated in generator.generate(seed: 42, count: 20) { … generated.request … }
/// ```
public struct SchemaRequestGenerator: Sendable {
    /// The path template, `{name}` standing for path parameters.
    public let path: String
    /// The HTTP method, uppercase.
    public let method: String
    /// Values from recorded state by parameter name (may be `{{variables}}`); used in positive
    /// requests and in every part of a negative one but the part it breaks.
    public let bound: [String: String]
    let parts: [RequestPartSpec]
    let bodyContentType: String?
    let cases: [RequestCase]
    /// Positive variants: variant 0 sends required parts only, the others every part.
    let positiveVariants: Int

    /// Prepares the cases of an operation.
    /// - Parameters:
    ///   - operation: the dereferenced operation.
    ///   - path: the path template as the request should use it (server prefix included).
    ///   - method: the HTTP method.
    ///   - bound: values by parameter name from recorded state.
    ///   - pathItemParameters: parameters declared on the path item (the operation's own win).
    ///   - generator: the value generator (its `maximumCases` bounds the cases per part).
    public init(
        operation: DereferencedOperation, path: String, method: String, bound: [String: String] = [:],
        pathItemParameters: [DereferencedParameter] = [], generator: SchemaValueGenerator = SchemaValueGenerator(maximumCases: 12)
    ) {
        var parameters = operation.parameters
        for inherited in pathItemParameters
        where !parameters.contains(where: { $0.name == inherited.name && $0.location == inherited.location }) {
            parameters.append(inherited)
        }
        var parts = parameters.compactMap { RequestPartSpec($0, generator: generator, seed: 0) }
        let body = operation.requestBody.flatMap(Self.bodyContent)
        if let body {
            let required = operation.requestBody?.required ?? false
            parts.append(RequestPartSpec(name: "body", location: .body, required: required, schema: body.schema, generator: generator, seed: 0))
        }
        self.init(path: path, method: method, bound: bound, parts: parts, bodyContentType: body?.contentType)
    }

    init(path: String, method: String, bound: [String: String], parts: [RequestPartSpec], bodyContentType: String?) {
        self.path = path
        self.method = method.uppercased()
        self.bound = bound
        var parts = parts
        if let index = parts.lastIndex(where: { $0.location == .body }) {
            // Like a parameter's text, the body as sent must read back with exactly its label: a form
            // cannot carry a body that is not an object, nor a member that is not text.
            let schema = parts[index].schema
            parts[index].negatives = parts[index].negatives.filter { negative in
                let sent = Array(Self.bodyText(negative.value, contentType: bodyContentType).utf8)
                let found = Self.bodyValue(sent, contentType: bodyContentType, schema: schema).map { SchemaValidator().validate($0, against: schema) } ?? []
                return found.count == 1 && found[0].constraint == negative.constraint && found[0].pointer == negative.pointer
            }
        }
        self.parts = parts
        self.bodyContentType = bodyContentType
        let variants = min(16, max(2, parts.map(\.positives.count).max() ?? 1))
        self.positiveVariants = variants
        var cases = (0..<variants).map(RequestCase.positive)
        for (index, part) in parts.enumerated() {
            // A missing path parameter changes the route rather than breaking the operation.
            if part.required, part.location != .path { cases.append(.missing(part: index)) }
            cases += part.negatives.map { .negative(part: index, $0) }
        }
        self.cases = cases
    }

    /// Number of distinct requests: `request(seed:)` cycles through them.
    public var caseCount: Int { cases.count }

    /// `METHOD /path`, the operation's endpoint key.
    public var endpoint: String { method + " " + path }

    /// Every operator name this generator can produce, positive first.
    public var operatorNames: [String] {
        var names: [String] = []
        for name in caseOperatorNames where !names.contains(name) { names.append(name) }
        return names
    }

    /// The operator name of each case (`request(seed: k)` for case k), without building the requests.
    public var caseOperatorNames: [String] {
        cases.map { chosen in
            switch chosen {
            case .positive: SchemaRequest.positiveOperator
            case .missing(let index): SchemaRequest.operatorName(location: parts[index].location, constraint: .required)
            case .negative(let index, let negative): SchemaRequest.operatorName(location: parts[index].location, constraint: negative.constraint)
            }
        }
    }

    /// `count` distinct requests (fewer when the operation has fewer cases), from `seed` on.
    public func generate(seed: UInt64, count: Int) -> [SchemaRequest] {
        (0..<UInt64(max(0, min(count, cases.count)))).map { request(seed: seed &+ $0) }
    }

    /// All positive requests, then all negative ones.
    public func allRequests() -> [SchemaRequest] {
        (0..<UInt64(cases.count)).map { request(seed: $0) }
    }

    /// The request of case `seed % caseCount`, with its operation carrying `seed`.
    public func request(seed: UInt64) -> SchemaRequest {
        let chosen = cases[Int(seed % UInt64(cases.count))]
        let reference = build(variant: chosen.variant, replacing: nil)
        switch chosen {
        case .positive:
            let operation = MutationOperation(name: SchemaRequest.positiveOperator, detail: "variant \(chosen.variant + 1)", seed: seed)
            return SchemaRequest(
                request: reference, operation: operation, location: nil, constraint: nil, reference: reference, endpoint: endpoint)
        case .missing(let index):
            let part = parts[index]
            let name = SchemaRequest.operatorName(location: part.location, constraint: .required)
            let operation = MutationOperation(name: name, detail: "\(part.location.rawValue) \(part.name) left out", seed: seed)
            return SchemaRequest(
                request: build(variant: chosen.variant, replacing: (index, nil)), operation: operation, location: part.location,
                constraint: .required, violation: RequestViolation(location: part.location, name: part.name, pointer: nil, constraint: .required),
                reference: reference, endpoint: endpoint)
        case .negative(let index, let negative):
            let part = parts[index]
            let name = SchemaRequest.operatorName(location: part.location, constraint: negative.constraint)
            let operation = MutationOperation(name: name, detail: Self.detail(part, negative), seed: seed)
            return SchemaRequest(
                request: build(variant: chosen.variant, replacing: (index, negative.value)), operation: operation,
                location: part.location, constraint: negative.constraint,
                violation: RequestViolation(location: part.location, name: part.name, at: negative.pointer, negative.constraint),
                reference: reference, endpoint: endpoint)
        }
    }

    /// Re-creates a request from its operation (the name must match; nil otherwise).
    public func request(for operation: MutationOperation) -> SchemaRequest? {
        guard !cases.isEmpty else { return nil }
        let made = request(seed: operation.seed)
        return made.operation.name == operation.name ? made : nil
    }

    /// `query limit=0 (minimum)`, `body /name="" (minLength)`: at most 120 columns.
    static func detail(_ part: RequestPartSpec, _ negative: NegativeValue) -> String {
        let shown = negative.value[pointer: negative.pointer].map { RequestValueText.text(of: $0) } ?? "(none)"
        let place = part.location == .body ? (negative.pointer.tokens.isEmpty ? "body" : "body " + negative.pointer.description) : part.location.rawValue + " " + part.name
        return ReportText.abbreviated(place + "=" + ReportText.abbreviated(shown, limit: 40) + " (" + negative.constraint.rawValue + ")", limit: 120)
    }
}

/// One request an operation's generator can make.
enum RequestCase: Sendable {
    /// Valid everywhere; the variant chooses among each part's valid values.
    case positive(Int)
    /// A required part left out.
    case missing(part: Int)
    /// One part replaced by a value breaking one constraint.
    case negative(part: Int, NegativeValue)

    /// The positive variant the request is built on (negatives use variant 1: every part present).
    var variant: Int {
        if case .positive(let k) = self { return k }
        return 1
    }
}

