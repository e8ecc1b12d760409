import Foundation
import Replayer
import StampedeClient

extension Threshold {
    static let latencyStatistics = ["min", "p50", "p90", "p95", "p99", "max"]
    static let namedMetrics: [String: ThresholdMetric] = [
        "errors": .errors, "failures": .failures, "requests": .requests, "rps": .rps, "findings": .findings,
        "regressions": .regressions,
    ]

    /// Parses `[SCOPE:] METRIC OP NUMBER[UNIT]`.
    ///
    /// SCOPE is `user`, `monkey` or an endpoint template (`POST /api/v1/execute`); the last `:`
    /// separates it, so templates may contain colons. Units: `ms`, `s`, `us` for latency (bare
    /// numbers are ms), `%` for errors, failures and failure classes, `/s` (optional) for rps.
    ///
    /// - Throws: `ThresholdError` naming what is wrong.
    public init(parsing expression: String) throws(ThresholdError) {
        let text = expression.trimmingCharacters(in: .whitespaces)
        func fail(_ reason: String) -> ThresholdError { ThresholdError(expression: expression, reason: reason) }
        var body = Substring(text)
        var scope = Scope.run
        if let colon = text.lastIndex(of: ":") {
            scope = try Self.scope(String(text[..<colon]).trimmingCharacters(in: .whitespaces), fail)
            body = text[text.index(after: colon)...]
        }
        body = body.drop { $0 == " " }
        let name = String(body.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
        body = body.dropFirst(name.count).drop { $0 == " " }
        guard !name.isEmpty else { throw fail("expected a metric such as p99, errors or failures") }
        let metric = try Self.metric(name, fail)
        guard let comparison = Comparison.allCases.first(where: { body.hasPrefix($0.rawValue) }) else {
            throw fail("expected one of < <= > >= == != after \(name)")
        }
        body = body.dropFirst(comparison.rawValue.count).drop { $0 == " " }
        let number = String(body.prefix { $0.isNumber || $0 == "." || $0 == "-" })
        guard let value = Double(number), value.isFinite else { throw fail("expected a number after \(comparison.rawValue)") }
        let unit = body.dropFirst(number.count).trimmingCharacters(in: .whitespaces)
        let (limit, percentage) = try Self.normalize(value, unit: unit, metric: metric, fail)
        if case .mode = scope, metric == .regressions { throw fail("regressions have no per-mode count") }
        self.init(
            expression: text, scope: scope, metric: metric, comparison: comparison, limit: limit, isPercentage: percentage)
    }

    /// Parses every expression; the first bad one throws.
    public static func parseAll(_ expressions: [String]) throws(ThresholdError) -> [Threshold] {
        var out: [Threshold] = []
        for e in expressions { out.append(try Threshold(parsing: e)) }
        return out
    }

    private static func scope(_ text: String, _ fail: (String) -> ThresholdError) throws(ThresholdError) -> Scope {
        if ClientKind(rawValue: text) != nil { return .mode(text) }
        let parts = text.split(separator: " ", maxSplits: 1)
        if parts.count == 2, parts[0].allSatisfy({ $0.isUppercase && $0.isLetter }), parts[1].hasPrefix("/") {
            return .endpoint(text)
        }
        throw fail("the scope before ':' must be user, monkey or an endpoint template such as 'POST /api/v1/execute'")
    }

    private static func metric(_ name: String, _ fail: (String) -> ThresholdError) throws(ThresholdError) -> ThresholdMetric {
        if latencyStatistics.contains(name) { return .latency(name) }
        if let named = namedMetrics[name] { return named }
        if FailureClass(rawValue: name) != nil { return .failureClass(name) }
        let known = latencyStatistics + namedMetrics.keys.sorted() + FailureClass.allCases.map(\.rawValue)
        throw fail("unknown metric \(name) (known: \(known.joined(separator: ", ")))")
    }

    /// The limit in the metric's unit (ms or %) and whether the threshold is a percentage.
    private static func normalize(
        _ value: Double, unit: String, metric: ThresholdMetric, _ fail: (String) -> ThresholdError
    ) throws(ThresholdError) -> (Double, Bool) {
        switch (metric, unit) {
        case (.latency, ""), (.latency, "ms"): return (value, false)
        case (.latency, "s"): return (value * 1000, false)
        case (.latency, "us"), (.latency, "µs"): return (value / 1000, false)
        case (.latency, _): throw fail("latency takes ms, s or us, not '\(unit)'")
        case (.rps, ""), (.rps, "/s"): return (value, false)
        case (_, "%") where metric.allowsPercentage: return (value, true)
        case (_, ""): return (value, false)
        default: throw fail("\(metric.name) takes \(metric.allowsPercentage ? "a count or a percentage" : "a plain number"), not '\(unit)'")
        }
    }
}
