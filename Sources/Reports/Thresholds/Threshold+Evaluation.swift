public import Replayer

extension Threshold {
    /// Evaluates the threshold on a finished run's report.
    ///
    /// A scope the run never reached (an endpoint without requests, a mode that did not run) fails
    /// with a reason, so a typo in a template cannot pass silently.
    public func evaluate(_ report: ReplayReport) -> ThresholdResult {
        let measured = measure(report)
        guard let actual = measured.value else {
            return ThresholdResult(
                expression: expression, scope: scopeName, metric: metric.name, actual: nil, unit: unit, passed: false,
                detail: measured.missing)
        }
        let rounded = (actual * 1000).rounded() / 1000
        return ThresholdResult(
            expression: expression, scope: scopeName, metric: metric.name, actual: rounded, unit: unit,
            passed: comparison.holds(actual, limit))
    }

    /// Evaluates every threshold, in order.
    public static func evaluateAll(_ thresholds: [Threshold], on report: ReplayReport) -> [ThresholdResult] {
        thresholds.map { $0.evaluate(report) }
    }

    /// The numbers in scope; `missing` says why there are none.
    private struct Slice {
        var requests = 0
        var errors = 0
        var failureClasses: [String: Int] = [:]
        var latency: LatencySummary?
        var findings = 0
        var regressions = 0
        var missing: String?
    }

    private func measure(_ report: ReplayReport) -> (value: Double?, missing: String?) {
        let s = slice(report)
        if let missing = s.missing { return (nil, missing) }
        let count: Int
        switch metric {
        case .latency(let stat):
            guard let l = s.latency else { return (nil, "no latency in scope") }
            let values = ["min": l.min, "p50": l.p50, "p90": l.p90, "p95": l.p95, "p99": l.p99, "max": l.max]
            guard let value = values[stat] ?? nil else { return (nil, "\(stat) is not in this report") }
            return (value, nil)
        case .rps:
            return (report.runtimeSeconds > 0 ? Double(s.requests) / report.runtimeSeconds : 0, nil)
        case .errors: count = s.errors
        case .failures: count = ReplayReport.hardFailures(s.failureClasses)
        case .failureClass(let name): count = s.failureClasses[name] ?? 0
        case .requests: count = s.requests
        case .findings: count = s.findings
        case .regressions: count = s.regressions
        }
        guard isPercentage else { return (Double(count), nil) }
        return (s.requests > 0 ? Double(count) * 100 / Double(s.requests) : 0, nil)
    }

    private func slice(_ r: ReplayReport) -> Slice {
        switch scope {
        case .run:
            return Slice(
                requests: r.totalRequests, errors: r.totalErrors, failureClasses: r.failureClasses,
                latency: r.runLatency, findings: r.findings.count,
                regressions: r.regressions.filter { $0.status == .stillFailing }.count)
        case .endpoint(let key):
            guard let e = r.endpoints[key] else { return Slice(missing: "no requests to \(key) in this run") }
            return Slice(
                requests: e.count, errors: e.errors, failureClasses: e.failures, latency: e.latencyMs,
                findings: r.findings.filter { $0.endpoint == key }.count,
                regressions: r.regressions.filter { $0.status == .stillFailing && $0.endpoint == key }.count)
        case .mode(let kind):
            guard let m = r.modes[kind] else { return Slice(missing: "no \(kind) clients in this run") }
            return Slice(
                requests: m.requests, errors: m.errors, failureClasses: m.failureClasses, latency: m.latencyMs,
                findings: r.findings.filter { $0.source.rawValue == kind }.count)
        }
    }
}
