import APISpec
import StampedeClient
import StampedeCore

/// Plain-text renderings of a run for a terminal: the progress line and the end summary; no
/// line is wider than `ReportText.maxColumns`.
public enum ReportSummary {
    /// `  12s  4210 rps  in flight 10  p99 3.1 ms  req 48211  fail 5xx:3 transport:1  findings 2`
    public static func progressLine(_ p: ReplayProgress) -> String {
        var line = "\(pad(String(p.elapsed) + "s", 5)) \(pad(String(p.rps), 7)) rps  in flight \(pad(String(p.inFlight), 4))"
        line += "  p99 \(pad(format(p.p99Ms), 7)) ms  req \(p.totalRequests)"
        let failures = FailureClass.allCases.compactMap { c -> String? in
            guard let n = p.failures[c], n > 0 else { return nil }
            return "\(c.rawValue):\(n)"
        }
        line += "  fail " + (failures.isEmpty ? "0" : failures.joined(separator: " "))
        line += "  findings \(p.findings)"
        return line
    }

    /// The end-of-run table: endpoints, modes, failure classes and findings.
    public static func render(_ r: ReplayReport, maxFindings: Int = 20) -> String {
        var out: [String] = []
        let rps = r.runtimeSeconds > 0 ? Double(r.totalRequests) / r.runtimeSeconds : 0
        out.append(
            "stampede \(r.version)  mode \(r.mode)  seed \(r.seed)  run \(r.runID)  \(format(r.runtimeSeconds)) s"
                + (r.interrupted ? "  (interrupted)" : ""))
        out.append(
            "requests \(r.totalRequests)  (\(format(rps)) rps)  errors \(r.totalErrors)  max in flight \(r.maxInFlight)/\(r.config.concurrency)"
                + "  clients \(r.clients.active)/\(r.config.clients) active")
        out.append("")
        out += endpointTable(r)
        out.append("")
        for kind in ClientKind.allCases {
            guard let m = r.modes[kind.rawValue] else { continue }
            out.append(
                "\(pad(kind.rawValue, 7, left: true)) clients \(m.clients)  requests \(m.requests)  errors \(m.errors)"
                    + "  failures \(m.failures)  p99 \(format(m.latencyMs?.p99 ?? 0)) ms  "
                    + (kind == .user ? "sessions \(m.iterations)" : "mutants \(m.iterations)"))
        }
        if let latency = r.latency { out.append(latency.summaryLine) }
        let classes = FailureClass.allCases.map { "\($0.rawValue) \(r.failureClasses[$0.rawValue] ?? 0)" }
        out.append("failures: " + classes.joined(separator: ", "))
        if let operations = r.operations { out.append(OperationCoverage.summaryLine(operations)) }
        if r.sse.streams > 0 {
            out.append(
                "sse: \(r.sse.streams) streams, \(r.sse.events) events, first event p50 \(format(r.sse.timeToFirstEventMs?.p50 ?? 0)) ms, \(r.sse.cutByWindow) cut by window")
        }
        if !r.exceptions.isEmpty {
            out.append("transport: " + r.exceptions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        out.append("")
        out += regressionLines(r)
        if r.findings.isEmpty {
            out.append("findings: none")
        } else {
            out.append("findings: \(r.findings.count)")
            for f in r.findings.sorted(by: { $0.hits > $1.hits }).prefix(maxFindings) { out += findingLines(f) }
            if r.findings.count > maxFindings { out.append("  … \(r.findings.count - maxFindings) more in the report") }
        }
        if let dropped = r.monkeyOutOfScope, dropped > 0 {
            out.append("monkey scope: \(dropped) mutant(s) or path operation(s) left --monkey-scope and were replaced (monkey_out_of_scope)")
        }
        return out.map { ReportText.abbreviated($0, limit: ReportText.maxColumns) }.joined(separator: "\n")
    }

    /// The endpoint table: the 40 busiest templates, a long name on a line of its own.
    static func endpointTable(_ r: ReplayReport) -> [String] {
        var out: [String] = []
        // Wide enough for the longest template, up to what keeps a line under 200 columns.
        let nameWidth = min(120, max(46, r.endpoints.keys.map(\.count).max() ?? 0))
        let header = [
            pad("endpoint", nameWidth, left: true), pad("count", 8), pad("errors", 7), pad("fail", 6), pad("p50 ms", 9),
            pad("p99 ms", 9), pad("max ms", 9),
        ]
        out.append(header.joined(separator: " "))
        let rows = r.endpoints.sorted { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key }
        for (key, e) in rows.prefix(40) {
            let failures = ReplayReport.hardFailures(e.failures)
            // A longer endpoint gets a line of its own (never cut at its end), its numbers the next.
            let fits = key.count <= nameWidth
            if !fits { out.append(ReportText.middleAbbreviated(key, limit: ReportText.maxColumns)) }
            out.append(
                [
                    pad(fits ? key : "", nameWidth, left: true), pad(String(e.count), 8), pad(String(e.errors), 7),
                    pad(String(failures), 6), pad(format(e.latencyMs?.p50 ?? 0), 9), pad(format(e.latencyMs?.p99 ?? 0), 9),
                    pad(format(e.latencyMs?.max ?? 0), 9),
                ].joined(separator: " "))
        }
        if rows.count > 40 { out.append("… \(rows.count - 40) more endpoint templates in the report") }
        return out
    }

    /// Crash records replayed before the load: still failing or fixed.
    static func regressionLines(_ r: ReplayReport) -> [String] {
        var out: [String] = []
        if !r.regressions.isEmpty {
            let still = r.regressions.filter { $0.status == .stillFailing }
            out.append("regressions: \(r.regressions.count) crash record(s) replayed, \(still.count) still failing, \(r.regressions.count - still.count) fixed")
            for g in r.regressions {
                out.append(
                    "  [\(g.signature)] \(g.status == .stillFailing ? "still failing" : "fixed        ")  "
                        + "\(ReportText.middleAbbreviated(g.endpoint, limit: 120))  \(g.failureClass) \(g.failure)")
            }
            out.append("")
        }
        return out
    }

    /// A finding: one heading line, the (minimal) request as one abbreviated curl line, and
    /// where its reproducer script and crash record are (the full request lives there).
    static func findingLines(_ f: Finding) -> [String] {
        let head = "  [\(f.signature)] \(f.failureClass.rawValue) \(f.failure)  "
        let tail = "  hits \(f.hits)  (\(f.source.rawValue))" + triageText(f)
        let room = max(40, ReportText.maxColumns - head.count - tail.count)
        var lines = [head + ReportText.middleAbbreviated(f.endpoint, limit: room) + tail]
        let label = f.minimal == nil ? "    request: " : "    minimal: "
        let curl = f.minimal?.curl ?? f.example.curl
        lines.append(label + ReportText.abbreviated(curl, limit: ReportText.maxColumns - label.count))
        if let script = f.crashScript { lines.append("    reproduce: bash \(script) [BASE_URL]") }
        if let file = f.crashFile { lines.append("    crash record \(f.crashStatus ?? "saved"): \(file)") }
        return lines
    }

    /// `  confirmed, minimized` / `  flaky 67%` / `  not reproduced` after triage; empty before.
    package static func triageText(_ f: Finding) -> String {
        guard let confirmed = f.confirmed else { return "" }
        guard confirmed else { return "  not reproduced" }
        let rate = f.reproduceRate ?? 1
        var text = rate >= 1 ? "  confirmed" : "  flaky \(Int((rate * 100).rounded()))%"
        if f.minimized { text += ", minimized" }
        if let merged = f.rawSignatures, merged.count > 1 { text += ", \(merged.count) signatures merged" }
        return text
    }

    /// A number with one decimal, for tables and progress lines.
    public static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int(rounded)) + ".0" }
        return String(rounded)
    }

    static func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
        let n = s.count
        guard n < width else { return s }
        let fill = String(repeating: " ", count: width - n)
        return left ? s + fill : fill + s
    }

    /// `s` shortened to `width` characters with `…` in the middle, so both ends stay readable.
    package static func clip(_ s: String, _ width: Int) -> String {
        guard s.count > width, width > 1 else { return s }
        let tail = (width - 1) / 2
        return String(s.prefix(width - 1 - tail)) + "…" + String(s.suffix(tail))
    }
}
