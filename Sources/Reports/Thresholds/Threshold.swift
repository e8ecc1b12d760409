/// A pass/fail criterion on a finished run, in k6's spirit: `p99<300ms`, `errors<1%`,
/// `POST /api/v1/execute: p99<500ms`, `user: failures==0`.
///
/// ```swift
/// let t = try Threshold(parsing: "user: failures==0")
/// let result = t.evaluate(report)      // ThresholdResult, stored in the report
/// ```
public struct Threshold: Sendable, Equatable {
    /// What the threshold looks at.
    public enum Scope: Sendable, Equatable {
        /// Every request of the run.
        case run
        /// An endpoint template, `POST /api/v1/scripts/{id}`.
        case endpoint(String)
        /// A client kind: `user` or `monkey`.
        case mode(String)
    }

    /// The comparison, longest spellings first so `<=` is not read as `<`.
    public enum Comparison: String, Sendable, CaseIterable {
        /// `<=`; the other cases are spelled as their raw values.
        case lessOrEqual = "<="
        case greaterOrEqual = ">="
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case greater = ">"

        func holds(_ actual: Double, _ limit: Double) -> Bool {
            switch self {
            case .lessOrEqual: actual <= limit
            case .greaterOrEqual: actual >= limit
            case .equal: actual == limit
            case .notEqual: actual != limit
            case .less: actual < limit
            case .greater: actual > limit
            }
        }
    }

    /// The expression as written.
    public var expression: String
    /// The whole run, an endpoint template or a client kind.
    public var scope: Scope
    /// What is measured.
    public var metric: ThresholdMetric
    /// How the measured value must relate to the limit.
    public var comparison: Comparison
    /// The limit in the metric's unit: milliseconds for latency, percent for rates.
    public var limit: Double
    /// `errors<1%`: compare the share of requests rather than the count.
    public var isPercentage: Bool

    /// The scope as the report writes it: `nil` for the whole run.
    public var scopeName: String? {
        switch scope {
        case .run: nil
        case .endpoint(let key), .mode(let key): key
        }
    }

    /// The unit results are shown in: `ms`, `%`, `/s` or empty for counts.
    public var unit: String {
        if isPercentage { return "%" }
        switch metric {
        case .latency: return "ms"
        case .rps: return "/s"
        default: return ""
        }
    }
}

/// The quantities a threshold can test.
public enum ThresholdMetric: Sendable, Equatable {
    /// A latency statistic in ms: `min`, `p50`, `p90`, `p95`, `p99`, `max`.
    case latency(String)
    /// Status ≥ 400 or transport failure (the original's definition).
    case errors
    /// Failures of every class but `slow`.
    case failures
    /// Failures of one class: `server_error`, `transport`, `timeout`, ….
    case failureClass(String)
    /// Requests finished.
    case requests
    /// Requests per second over the run time.
    case rps
    /// Findings in scope.
    case findings
    /// Crash records still failing.
    case regressions

    /// The name as written in an expression.
    public var name: String {
        switch self {
        case .latency(let stat): stat
        case .errors: "errors"
        case .failures: "failures"
        case .failureClass(let name): name
        case .requests: "requests"
        case .rps: "rps"
        case .findings: "findings"
        case .regressions: "regressions"
        }
    }

    /// Whether `%` (a share of the requests in scope) makes sense for it.
    var allowsPercentage: Bool {
        switch self {
        case .errors, .failures, .failureClass: true
        default: false
        }
    }
}

/// An expression that is not a threshold; the message says what is wrong, in one line.
public struct ThresholdError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The expression as given.
    public var expression: String
    /// What is wrong with it.
    public var reason: String

    /// `invalid threshold 'p99<fast': expected a number after <`.
    public var description: String { "invalid threshold '\(expression)': \(reason)" }
}
