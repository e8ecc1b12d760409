public import Replayer

/// Terminal renderings of threshold results.
public enum ThresholdTable {
    /// `thresholds: 2 of 3 passed`, then one `PASS`/`FAIL` line per threshold with the measured value.
    public static func render(_ results: [ThresholdResult]) -> String {
        let passed = results.filter(\.passed).count
        let width = min(100, results.map(\.expression.count).max() ?? 0)
        var lines = ["thresholds: \(passed) of \(results.count) passed"]
        for r in results {
            let name = ReportSummary.clip(r.expression, width)
            lines.append("  \(r.passed ? "PASS" : "FAIL")  \(name + String(repeating: " ", count: max(0, width - name.count)))  \(measured(r))")
        }
        return lines.joined(separator: "\n")
    }

    /// One line naming every failed threshold and its value, for the exit message.
    public static func failureLine(_ results: [ThresholdResult]) -> String? {
        let failed = results.filter { !$0.passed }
        guard !failed.isEmpty else { return nil }
        let list = failed.map { "\($0.expression) (\(measured($0)))" }.joined(separator: "; ")
        return ReportSummary.clip("\(failed.count) threshold(s) failed: " + list, 190)
    }

    /// `p99 412.3 ms`, `errors 2.5 %`, `findings 3` or the reason there is no value.
    static func measured(_ r: ThresholdResult) -> String {
        guard let value = value(r) else { return r.detail ?? "no data" }
        return "\(r.metric) \(value)"
    }

    /// The measured value with its unit (`412.3 ms`, `3`); `nil` without one.
    static func value(_ r: ThresholdResult) -> String? {
        guard let actual = r.actual else { return nil }
        if r.unit.isEmpty && actual == actual.rounded() && abs(actual) < 1e15 { return String(Int(actual)) }
        return Markup.number(actual) + (r.unit.isEmpty ? "" : " " + r.unit)
    }
}
