/// Why a response counts as a failure (DESIGN.md "Failures, signatures, minimization").
///
/// Expected 4xx answers to monkey garbage are not failures; the original's `errors` count
/// (status ≥ 400 or transport) is kept separately in the report.
public enum FailureClass: String, Codable, Sendable, CaseIterable, Comparable {
    /// A 5xx status.
    case serverError = "server_error"
    /// A transport failure other than a timeout: reset, empty reply, refused… (by CURLcode name).
    case transport
    /// `CURLE_OPERATION_TIMEDOUT`: no complete answer within `--request-timeout`.
    case timeout
    /// A user step whose status class differs from the recording.
    case expectation
    /// Slower than `--slow-ms` (optional; not an error).
    case slow

    /// Whether failures of this class become findings (slow ones are only counted).
    public var isFinding: Bool { self != .slow }

    public static func < (lhs: FailureClass, rhs: FailureClass) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}
