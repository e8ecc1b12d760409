import StampedeClient

extension ReplayReport {
    /// Failures in a class → count map, every class but `slow` (which is not an error).
    public static func hardFailures(_ classes: [String: Int]) -> Int {
        classes.filter { $0.key != FailureClass.slow.rawValue }.values.reduce(0, +)
    }

    /// Latency over the whole run: the run-wide summary, else the only client kind's (older reports).
    public var runLatency: LatencySummary? {
        latencyMs ?? (modes.count == 1 ? modes.first?.value.latencyMs : nil)
    }
}
