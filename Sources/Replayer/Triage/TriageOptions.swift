/// How findings are confirmed and minimized after the load (corpus growth).
public struct TriageOptions: Sendable {
    /// Confirm and minimize findings after the load; when false findings are reported as seen.
    public var enabled: Bool
    /// Most predicate calls (each one fresh client: context steps, then the candidate) spent
    /// shrinking one finding (`--minimize-budget`).
    public var budget: Int
    /// The budget for timeout findings: every candidate that still hangs costs a whole request
    /// timeout, so they get fewer tries.
    public var timeoutBudget: Int
    /// Times a finding's input is re-sent to measure its reproduce rate (before and after shrinking).
    public var confirmations: Int
    /// Findings triaged at the same time (each finding's shrink is sequential).
    public var parallelism: Int
    /// Triage stops starting probes after this many seconds (findings not reached are reported
    /// as seen): a target that hangs on everything would otherwise cost a request timeout per probe.
    public var timeLimitSeconds: Double
    /// The `crashes/` directory confirmed findings are written to as each finishes triage (and
    /// regressions that still fail are marked seen in); `nil` saves nothing.
    public var crashDirectory: String?

    /// - Parameters:
    ///   - budget: predicate calls per finding (at least 1).
    ///   - timeoutBudget: predicate calls per timeout finding; default `max(8, budget / 8)`.
    public init(
        enabled: Bool = true, budget: Int = 200, timeoutBudget: Int? = nil, confirmations: Int = 3, parallelism: Int = 4,
        crashDirectory: String? = nil, timeLimitSeconds: Double = 120
    ) {
        self.enabled = enabled
        self.budget = max(1, budget)
        self.timeoutBudget = max(1, timeoutBudget ?? min(self.budget, max(8, self.budget / 8)))
        self.confirmations = max(1, confirmations)
        self.parallelism = max(1, parallelism)
        self.crashDirectory = crashDirectory
        self.timeLimitSeconds = max(0, timeLimitSeconds)
    }
}
