import Replayer
import StampedeClient

extension HTMLReport {
    /// Requests longer than this many characters start collapsed.
    static let collapseAfter = 400

    static func sse(_ r: ReplayReport) -> String {
        let s = r.sse
        guard s.streams > 0 else { return "" }
        let facts: [(String, String)] = [
            ("streams", Markup.count(s.streams)), ("events", Markup.count(s.events)),
            ("without events", Markup.count(s.streamsWithoutEvents)), ("cut by window", Markup.count(s.cutByWindow)),
            ("first event p50", s.timeToFirstEventMs.map { Markup.number($0.p50) + " ms" } ?? "–"),
            ("first event p99", s.timeToFirstEventMs.map { Markup.number($0.p99) + " ms" } ?? "–"),
        ]
        return "<section id=\"sse\"><h2>Server-sent events</h2><dl class=\"facts\">"
            + facts.map { "<div><dt>\($0.0)</dt><dd>\(Markup.escape($0.1))</dd></div>" }.joined() + "</dl></section>"
    }

    static func findings(_ r: ReplayReport) -> String {
        var out = "<section id=\"findings\"><h2>Findings (\(r.findings.count))</h2>"
        guard !r.findings.isEmpty else { return out + "<p>None.</p></section>" }
        for f in r.findings.sorted(by: { $0.hits != $1.hits ? $0.hits > $1.hits : $0.signature < $1.signature }) {
            out += finding(f)
        }
        return out + "</section>"
    }

    private static func finding(_ f: Finding) -> String {
        var out = "<article class=\"finding\"><h3><span class=\"chip cls\">\(Markup.escape(f.failureClass.rawValue))</span> "
        out += "\(Markup.escape(f.failure)) <code>\(Markup.escape(f.endpoint))</code></h3>"
        let triage = ReportSummary.triageText(f).trimmingPrefix("  ")
        let facts: [(String, String)] = [
            ("signature", f.signature), ("hits", Markup.count(f.hits)), ("source", f.source.rawValue),
            ("first seen", "\(Markup.number(f.firstSeenOffset)) s into the run (\(f.firstSeen))"),
            ("triage", triage.isEmpty ? "not triaged" : String(triage)),
        ]
        out += "<dl class=\"facts\">" + facts.map { "<div><dt>\($0.0)</dt><dd>\(Markup.escape($0.1))</dd></div>" }.joined() + "</dl>"
        let example = f.minimal ?? f.example
        out += "<p class=\"label\">\(f.minimal == nil ? "request as sent" : "minimal request"), as a curl reproducer — session \(Markup.escape(example.session)), step \(example.step + 1)</p>"
        out += collapsible(example.curl)
        if !example.responseExcerpt.isEmpty {
            out += "<p class=\"label\">response (status \(example.status))</p>" + collapsible(example.responseExcerpt)
        }
        if let file = f.crashFile {
            out += "<p class=\"label\">crash record (\(Markup.escape(f.crashStatus ?? "saved")))</p><pre>\(Markup.escape(file))</pre>"
        }
        return out + "</article>"
    }

    /// A `<pre>` block; long text starts collapsed behind its size.
    static func collapsible(_ text: String) -> String {
        guard text.count > collapseAfter else { return "<pre>\(Markup.escape(text))</pre>" }
        let head = Markup.escape(Markup.abbreviated(text, limit: 160))
        return "<details><summary><code>\(head)</code></summary><pre>\(Markup.escape(text))</pre></details>"
    }

    static func regressions(_ r: ReplayReport) -> String {
        guard !r.regressions.isEmpty else { return "" }
        let still = r.regressions.filter { $0.status == .stillFailing }.count
        var out = "<section id=\"regressions\"><h2>Regressions: \(still) still failing, \(r.regressions.count - still) fixed</h2>"
        out += "<div class=\"scroll\"><table class=\"sortable\"><thead><tr><th class=\"text\" data-col=\"0\">status</th><th class=\"text\" data-col=\"1\">endpoint</th>"
        out += "<th class=\"text\" data-col=\"2\">recorded failure</th><th class=\"text\" data-col=\"3\">now</th></tr></thead><tbody>"
        for g in r.regressions.sorted(by: { $0.status.rawValue > $1.status.rawValue }) {
            let failing = g.status == .stillFailing
            out += "<tr class=\"\(failing ? "fail" : "pass")\"><td data-v=\"\(g.status.rawValue)\">\(failing ? "still failing" : "fixed")</td>"
            out += "<td class=\"name\" data-v=\"\(Markup.escape(g.endpoint))\"><code>\(Markup.escape(g.endpoint))</code></td>"
            out += "<td data-v=\"\(Markup.escape(g.failure))\">\(Markup.escape(g.failureClass)) \(Markup.escape(g.failure))</td>"
            out += "<td data-v=\"\(Markup.escape(g.observed))\">\(Markup.escape(g.observed))</td></tr>"
        }
        return out + "</tbody></table></div></section>"
    }

    static func notes(_ r: ReplayReport) -> String {
        guard !r.notes.isEmpty else { return "" }
        return "<section id=\"notes\"><h2>Notes</h2><ul>" + r.notes.map { "<li>\(Markup.escape($0))</li>" }.joined() + "</ul></section>"
    }
}
