public import StampedeEngine

/// Why a response counts as a failure (DESIGN.md "Failures, signatures, minimization").
///
/// Expected 4xx answers to monkey garbage are not failures; the original's `errors` count
/// (status ≥ 400 or transport) is kept separately in the report.
public enum FailureClass: String, Codable, Sendable, CaseIterable, Comparable {
    /// A 5xx status (RFC 9110: only 500–599).
    case serverError = "server_error"
    /// A transport failure other than a timeout: reset, empty reply, refused… (by CURLcode name).
    case transport
    /// `CURLE_OPERATION_TIMEDOUT`: no complete answer within `--request-timeout`.
    case timeout
    /// A user step whose status class differs from the recording.
    case expectation
    /// Slower than `--slow-ms` (optional; not an error).
    case slow
    /// A status outside 100–599 (say 940), or a reply that is not HTTP.
    case `protocol`
    /// A `{{variable}}` could not be resolved: the request was not sent.
    case unresolved
    /// The answer breaks the API's own OpenAPI document (undeclared status or Content-Type, a
    /// body off its schema, a negative request accepted); judged by APISpec, not by `classify`.
    case conformance

    /// Whether failures of this class become findings (slow ones are only counted, and an
    /// unresolved variable is the corpus's or the configuration's problem, not the target's).
    public var isFinding: Bool { self != .slow && self != .unresolved }

    /// Position in `allCases`, for counter arrays.
    package var index: Int {
        switch self {
        case .serverError: 0
        case .transport: 1
        case .timeout: 2
        case .expectation: 3
        case .slow: 4
        case .protocol: 5
        case .unresolved: 6
        case .conformance: 7
        }
    }

    /// The failures of every class but `slow` in a counter array indexed by `index`.
    package static func hardCount(_ counts: [Int]) -> Int {
        allCases.reduce(0) { $1 == .slow ? $0 : $0 + counts[$1.index] }
    }

    /// Orders classes as the report lists them.
    public static func < (lhs: FailureClass, rhs: FailureClass) -> Bool {
        lhs.index < rhs.index
    }

    /// The one classification of a response, used by replay, triage, verification and `check`.
    ///
    /// - Parameter expectClass: the recorded status class of a user step; nil for mutants and
    ///   triage probes, which are judged by the target's health alone.
    /// - Returns: nil when the response is not a failure (or the failure was local to libcurl).
    public static func classify(_ response: EngineResponse, expectClass: Int?) -> FailureClass? {
        if let failure = response.failure {
            if failure.isLocal { return nil }
            if failure.isTimeout { return .timeout }
            return failure.isProtocolViolation ? .protocol : .transport
        }
        switch response.status {
        case 500...599: return .serverError
        case 100...499: break
        default: return .protocol
        }
        if let expectClass, response.status / 100 != expectClass { return .expectation }
        return nil
    }
}
