import Foundation
public import OpenAPIKit
public import StampedeCore

/// Judges a response against the operation the request is an instance of.
///
/// Only answers the target gave on purpose are judged: transport failures, 5xx (already a
/// `server_error`) and requests on no operation are left alone. A body cut by the engine's
/// prefix limit is not validated.
public struct ConformanceChecker: Sendable {
    /// Validates a JSON value against a schema: nil when it matches, else where and why not
    /// (`/name: type`), stable across values for one bug, and what a reproducer re-checks.
    public typealias Validator = @Sendable (JSONValue, JSONSchema) -> (signature: String, check: BodyCheck)?

    /// The spec the answers are judged against.
    public let spec: APISpecification
    /// The checks that run (`--checks`).
    public let checks: Set<ConformanceCheck>
    let validator: Validator?

    /// A checker running `checks`; `body-schema` needs a `validator`.
    public init(spec: APISpecification, checks: Set<ConformanceCheck> = ConformanceCheck.defaults, validator: Validator?) {
        self.spec = spec
        self.checks = checks
        self.validator = validator
    }

    /// What a response looks like to the checks.
    public struct Observed: Sendable {
        /// The request method as sent.
        public var method: String
        /// The request path as sent (query ignored).
        public var path: String
        /// The answer's status code.
        public var status: Int
        /// The answer's `Content-Type` header, if any.
        public var contentType: String?
        /// The answer's body (a prefix when `bodyComplete` is false).
        public var body: [UInt8]
        /// False when the engine kept only a prefix of the body.
        public var bodyComplete: Bool
        /// The constraint a negative request broke, when the spec says the server enforces it.
        public var brokenConstraint: String?

        /// An observed answer; `brokenConstraint` only for a negative schema request.
        public init(
            method: String, path: String, status: Int, contentType: String?, body: [UInt8], bodyComplete: Bool,
            brokenConstraint: String? = nil
        ) {
            self.method = method
            self.path = path
            self.status = status
            self.contentType = contentType
            self.body = body
            self.bodyComplete = bodyComplete
            self.brokenConstraint = brokenConstraint
        }
    }

    /// The first violation of the selected checks, or nil.
    public func check(_ observed: Observed) -> ConformanceViolation? {
        guard (100...499).contains(observed.status), let op = spec.operation(method: observed.method, path: observed.path),
            Self.sameTrailingSlash(observed.path, op.path)
        else { return nil }
        func violation(_ check: ConformanceCheck, _ detail: String) -> ConformanceViolation {
            ConformanceViolation(check: check, operation: op.id, detail: detail)
        }
        if checks.contains(.negativeAccepted), let broken = observed.brokenConstraint, observed.status / 100 == 2 {
            return violation(.negativeAccepted, "\(observed.status)" + Self.breaking + broken)
        }
        guard let declared = op.declaredResponse(for: observed.status) else {
            return checks.contains(.status) ? violation(.status, "status \(observed.status) not declared") : nil
        }
        guard !declared.content.isEmpty, !observed.body.isEmpty else { return nil }
        let mediaType = Self.mediaType(observed.contentType)
        guard let key = declared.content.keys.first(where: { Self.covers($0, mediaType) }) else {
            guard checks.contains(.contentType) else { return nil }
            return violation(.contentType, "Content-Type \(mediaType.isEmpty ? "(none)" : mediaType) not declared for \(declared.status)")
        }
        guard checks.contains(.bodySchema), let validator, observed.bodyComplete, mediaType.contains("json"),
            let schema = declared.content[key] ?? nil
        else { return nil }
        guard let value = try? JSONParser().parse(observed.body) else {
            return violation(.bodySchema, "\(declared.status) body is not JSON")
        }
        guard let problem = validator(value, schema) else { return nil }
        var found = violation(.bodySchema, "\(declared.status) body \(problem.signature)")
        found.bodyCheck = problem.check
        return found
    }

    /// Between the status and the constraint in a `negative-accepted` failure text.
    static let breaking = " to a request breaking "

    /// The constraint a failure text of the `negative-accepted` check names
    /// (`negative-accepted: 200 to a request breaking query limit: minimum` → `query limit: minimum`); nil for others.
    public static func negativeAcceptedConstraint(in failure: String) -> String? {
        guard failure.hasPrefix(ConformanceCheck.negativeAccepted.rawValue + ": "), let range = failure.range(of: breaking) else { return nil }
        return String(failure[range.upperBound...])
    }

    /// Whether a request path ends in `/` exactly when the operation's does: `/v1/buckets/` is
    /// another URL than `/v1/buckets` (frameworks redirect it), so it is not judged as the operation.
    /// An encoded slash (`%2F`) counts as one: Kinto decodes it and redirects the same way.
    static func sameTrailingSlash(_ path: String, _ template: String) -> Bool {
        path == "/" || endsInSlash(path) == template.hasSuffix("/")
    }

    /// `…/` or `…%2F` (either case).
    static func endsInSlash(_ path: String) -> Bool {
        path.hasSuffix("/") || path.hasSuffix("%2F") || path.hasSuffix("%2f")
    }

    /// `application/json; charset=utf-8` → `application/json`.
    static func mediaType(_ header: String?) -> String {
        guard let header else { return "" }
        let type = header.split(separator: ";", maxSplits: 1).first.map(String.init) ?? header
        return type.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// Whether a declared media type (`application/json`, `application/*`, `*/*`) covers `type`.
    static func covers(_ declared: String, _ type: String) -> Bool {
        let declared = declared.lowercased()
        if declared == type || declared == "*/*" { return true }
        if declared.hasSuffix("/*") { return type.hasPrefix(declared.dropLast()) }
        // A `+json` suffix type (`application/problem+json`) answers a declared `application/json`.
        return declared == "application/json" && type.hasSuffix("+json")
    }
}
