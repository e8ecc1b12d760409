import StampedeClient
import StampedeCore
import StampedeEngine

/// What one probe saw: the candidate's response classified and fingerprinted, and the request
/// as sent (for the finding's example and curl).
struct TriageObservation: Sendable {
    var failureClass: FailureClass?
    /// Status code or CURLcode name.
    var failure: String
    var status: Int
    var method: String
    /// The route the path landed on (`RouteTable.route(of:)`).
    var route: String
    var body: [UInt8]
    var fingerprint: String
    /// The request as sent, secrets shown as `$STAMPEDE_SECRET_NAME`.
    var request: EngineRequest
    var rendered: RequestTemplate
    var excerpt: String
    /// A `body-schema` conformance failure's reproducer check.
    var bodyCheck: BodyCheck?

    var endpoint: String { method + " " + route }

    /// Whether this is a failure triage looks after (server error, transport failure, timeout).
    var isFailure: Bool {
        guard let failureClass else { return false }
        return failureClass == .serverError || failureClass == .transport || failureClass == .timeout
            || failureClass == .protocol || failureClass == .conformance
    }

    /// The signature of this failure as a finding's final signature.
    ///
    /// A transport failure hashes as `transport` rather than its CURLcode: the same dropped
    /// connection shows as `CURLE_GOT_NOTHING`, `CURLE_SEND_ERROR` or `CURLE_RECV_ERROR` depending
    /// on timing, and one bug must keep one crash file.
    var signature: FailureSignature {
        let cls = failureClass ?? .serverError
        return FailureSignature(
            method: method, endpoint: endpoint, failureClass: cls, failure: cls == .transport ? "transport" : failure,
            // A conformance failure's text names the bug; the body (say the off-schema value) may vary.
            body: cls == .conformance ? [] : body)
    }

    /// An observation of `response` (nil: not sent, a variable was unresolved).
    init(response: EngineResponse?, rendered: RenderedRequest, route: String) {
        let response = response ?? EngineResponse()
        let sent = rendered.isSendable
        failureClass = sent ? FailureClass.classify(response, expectClass: nil) : .unresolved
        failure = sent ? response.failure?.name ?? String(response.status) : "unresolved " + rendered.unresolved.joined(separator: ", ")
        status = response.status
        method = rendered.template.method
        self.route = route
        body = Array(response.body.prefix(FailureSignature.fingerprintPrefix))
        fingerprint = FailureSignature.fingerprint(response.body)
        request = rendered.redactedRequest
        self.rendered = rendered.template
        excerpt = rendered.secrets.redact(response.failure?.message ?? String(decoding: response.body.prefix(300), as: UTF8.self))
    }
}

/// The failure a shrink must keep: same class, same status for server errors, the same response
/// fingerprint, the same route.
///
/// Two relaxations let request-line moves normalize a finding: an empty fingerprint (a `HEAD`
/// answer has no body) matches any, and a path on no recorded route may move onto one. Each
/// accepted candidate then becomes the reference (`accept`), so once a route or fingerprint is
/// known it is kept. Transport failures match by class alone: a dropped connection surfaces as
/// `CURLE_GOT_NOTHING`, `CURLE_SEND_ERROR` or `CURLE_RECV_ERROR` depending on timing.
struct TriageTarget: Sendable {
    var failureClass: FailureClass
    var failure: String
    var fingerprint: String
    var route: String
    var routeIsRecorded: Bool

    init(_ observation: TriageObservation, routes: RouteTable) {
        failureClass = observation.failureClass ?? .serverError
        failure = observation.failure
        fingerprint = observation.fingerprint
        route = observation.route
        routeIsRecorded = routes.isRecorded(observation.route)
    }

    init(failureClass: FailureClass, failure: String, fingerprint: String, route: String, routes: RouteTable) {
        self.failureClass = failureClass
        self.failure = failure
        self.fingerprint = fingerprint
        self.route = route
        routeIsRecorded = routes.isRecorded(route)
    }

    func matches(_ o: TriageObservation) -> Bool {
        guard o.failureClass == failureClass else { return false }
        guard o.route == route || !routeIsRecorded else { return false }
        switch failureClass {
        case .serverError:
            return o.failure == failure && (fingerprint.isEmpty || o.fingerprint == fingerprint)
        case .protocol, .conformance:
            return o.failure == failure
        case .transport, .timeout:
            return true
        case .expectation, .slow, .unresolved:
            return false
        }
    }

    mutating func accept(_ o: TriageObservation, routes: RouteTable) {
        if route != o.route {
            route = o.route
            routeIsRecorded = routes.isRecorded(o.route)
        }
        if fingerprint.isEmpty { fingerprint = o.fingerprint }
    }
}
