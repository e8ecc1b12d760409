import Foundation
public import Replayer
import StampedeCore

/// One self-contained HTML page for a run: inline CSS, SVG charts drawn here, a few lines of
/// script to sort tables. No network request leaves the page; it prints to PDF.
///
/// ```swift
/// let html = HTMLReport.render(report)
/// try html.write(toFile: "report.html", atomically: true, encoding: .utf8)
/// ```
public enum HTMLReport {
    /// The whole page.
    public static func render(_ report: ReplayReport) -> String {
        let title = "Stampede run \(report.runID) — \(report.mode)"
        var page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
        page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"
        page += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\"/>"
        page += "<title>\(Markup.escape(title))</title><style>\(stylesheet)</style></head><body><main>"
        page += header(report)
        page += thresholds(report)
        page += charts(report)
        page += endpoints(report)
        page += mix(report)
        page += sse(report)
        page += findings(report)
        page += regressions(report)
        page += notes(report)
        page += "</main><script>\(script)</script></body></html>\n"
        return page
    }

    /// The verdict: thresholds when the run had them, else the default gate.
    static func verdict(_ r: ReplayReport) -> (passed: Bool, text: String) {
        if let t = r.thresholds, !t.isEmpty {
            let failed = t.filter { !$0.passed }.count
            return failed == 0
                ? (true, "passed: \(t.count) threshold(s) met")
                : (false, "failed: \(failed) of \(t.count) threshold(s) not met")
        }
        if !r.hasFailures { return (true, "passed: no findings, no user-flow failures") }
        let user = r.modes[ClientKind.user.rawValue]?.failures ?? 0
        let still = r.regressions.filter { $0.status == .stillFailing }.count
        var parts: [String] = []
        if !r.findings.isEmpty { parts.append("\(r.findings.count) finding(s)") }
        if user > 0 { parts.append("\(user) user-flow failure(s)") }
        if still > 0 { parts.append("\(still) crash record(s) still failing") }
        return (false, "failed: " + parts.joined(separator: ", "))
    }

    static func header(_ r: ReplayReport) -> String {
        let v = verdict(r)
        let rps = r.runtimeSeconds > 0 ? Double(r.totalRequests) / r.runtimeSeconds : 0
        var out = "<header><h1>Stampede run <code>\(Markup.escape(r.runID))</code></h1>"
        out += "<p class=\"verdict \(v.passed ? "pass" : "fail")\">\(Markup.escape(v.text))</p>"
        let c = r.config
        let facts: [(String, String)] = [
            ("target", c.baseURL + (c.apiPrefix.isEmpty ? "" : "  (prefix \(c.apiPrefix))")),
            ("mode", r.mode + (r.interrupted ? " (interrupted)" : "")),
            ("seed", String(r.seed)), ("started", r.startedAt), ("duration", Markup.number(r.runtimeSeconds) + " s"),
            ("clients", "\(r.clients.user) user + \(r.clients.monkey) monkey, \(r.clients.active) active"),
            ("concurrency", "\(c.concurrency) (max in flight \(r.maxInFlight))"),
            ("load", c.rate.map { "open model, \(Markup.number($0)) sends/s" } ?? "closed model"),
            ("corpus", c.corpus), ("stampede", r.version),
        ]
        out += "<dl class=\"facts\">" + facts.map { "<div><dt>\($0.0)</dt><dd>\(Markup.escape($0.1))</dd></div>" }.joined() + "</dl>"
        out += settings(c)
        let tiles: [(String, String)] = [
            ("requests", Markup.count(r.totalRequests)), ("rps", Markup.number(rps)),
            ("errors", Markup.count(r.totalErrors) + " (" + Markup.percent(r.totalErrors, of: r.totalRequests) + ")"),
            ("failures", Markup.count(ReplayReport.hardFailures(r.failureClasses))), ("findings", String(r.findings.count)),
            ("p99", r.runLatency.map { Markup.number($0.p99) + " ms" } ?? "–"),
        ]
        out += "<div class=\"tiles\">" + tiles.map { "<div class=\"tile\"><span>\($0.0)</span><b>\(Markup.escape($0.1))</b></div>" }.joined() + "</div>"
        return out + "</header>"
    }

    /// Every setting of the run (`config` in the report), collapsed.
    static func settings(_ c: ReportConfig) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(c), let members = (try? JSONValue(parsing: Array(data)))?.objectMembers else { return "" }
        let rows = members.map { member -> String in
            let value = member.value == .null ? "–" : member.value.stringValue ?? member.value.serialized()
            return "<div><dt>\(Markup.escape(member.key))</dt><dd>\(Markup.escape(value))</dd></div>"
        }
        return "<details class=\"settings\"><summary>all settings</summary><dl class=\"facts\">\(rows.joined())</dl></details>"
    }

    static func thresholds(_ r: ReplayReport) -> String {
        guard let results = r.thresholds, !results.isEmpty else { return "" }
        var out = "<section id=\"thresholds\"><h2>Thresholds</h2><table><thead><tr><th>result</th><th>threshold</th><th>measured</th></tr></thead><tbody>"
        for t in results {
            let measured = ThresholdTable.value(t) ?? (t.detail ?? "no data")
            out += "<tr class=\"\(t.passed ? "pass" : "fail")\"><td>\(t.passed ? "pass" : "FAIL")</td>"
            out += "<td class=\"name\"><code>\(Markup.escape(t.expression))</code></td><td>\(Markup.escape(measured))</td></tr>"
        }
        return out + "</tbody></table></section>"
    }
}
