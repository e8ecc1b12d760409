/// One pass/fail threshold (`p99<300ms`, `POST /api/v1/execute: p99<500ms`) evaluated on a
/// finished run; the report keeps them so `report html`, `report show` and JUnit show the verdict.
public struct ThresholdResult: Codable, Sendable, Equatable {
    /// The expression as the user wrote it.
    public var expression: String
    /// `nil` for the whole run, else an endpoint template or a client kind (`user`, `monkey`).
    public var scope: String?
    /// `p99`, `errors`, `failures`, `rps`, `findings`, a failure class….
    public var metric: String
    /// The measured value in the threshold's unit (ms for latency, % for rates); `nil` without data.
    public var actual: Double?
    /// `ms`, `%` or empty for counts and rates per second.
    public var unit: String
    /// Whether the measured value met the threshold.
    public var passed: Bool
    /// Why there is no value (`no requests to this endpoint`), when `actual` is `nil`.
    public var detail: String?

    /// One threshold's outcome.
    public init(
        expression: String, scope: String?, metric: String, actual: Double?, unit: String, passed: Bool,
        detail: String? = nil
    ) {
        self.expression = expression
        self.scope = scope
        self.metric = metric
        self.actual = actual
        self.unit = unit
        self.passed = passed
        self.detail = detail
    }
}
