import Foundation
import Replayer
import Reports
import Testing

@Suite struct HTMLReportTests {
    @Test func wellFormedAndSelfContained() throws {
        var report = try Fixture.report()
        report.thresholds = Threshold.evaluateAll(try Threshold.parseAll(["p99<60s", "server_error==0"]), on: report)
        let html = HTMLReport.render(report)
        let path = try Fixture.temporary(html, ext: "html")
        // Parses as strict XML: every element closed, every entity escaped (libxml2's HTML parser
        // predates HTML5 elements, so the XML parser is the stricter check).
        let xml = try Fixture.run("xmllint", ["--noout", path])
        #expect(xml.status == 0 && xml.output.isEmpty, "\(xml.output.prefix(2000))")
        // URLs appear only as text (the target, curl lines); nothing refers to one.
        #expect(html.firstMatch(of: /="https?:/) == nil)
        #expect(!html.contains(" src=") && !html.contains(" href=") && !html.contains("url(") && !html.contains("@import"))
        #expect(html.contains("default-src 'none'"))
    }

    @Test func everySectionIsThere() throws {
        var report = try Fixture.report()
        report.thresholds = Threshold.evaluateAll(try Threshold.parseAll(["p99<60s", "server_error==0"]), on: report)
        let html = HTMLReport.render(report)
        let rows = html.components(separatedBy: "<tr class=\"endpoint\">").count - 1
        #expect(rows == report.endpoints.count)
        for key in report.endpoints.keys { #expect(html.contains(">\(Self.escaped(key))</code>")) }
        #expect(html.components(separatedBy: "<article class=\"finding\">").count - 1 == report.findings.count)
        #expect(html.components(separatedBy: "<svg class=\"chart\"").count - 1 == 3)
        #expect(html.contains("failed: 1 of 2 threshold(s) not met"))
        for id in ["thresholds", "charts", "endpoints", "mix", "findings", "notes"] { #expect(html.contains("<section id=\"\(id)\">")) }
        #expect(report.sse.streams == 0 || html.contains("<section id=\"sse\">"))
    }

    @Test func hostileTextIsEscaped() throws {
        var report = try Fixture.report()
        let e = try #require(report.endpoints.values.first)
        report.endpoints["GET /x/<script>alert(1)</script>?a=1&b=\"2\""] = e
        report.notes.append("control \u{1} char & <b>")
        let html = HTMLReport.render(report)
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;?a=1&amp;b=&quot;2&quot;"))
        let lint = try Fixture.run("xmllint", ["--noout", try Fixture.temporary(html, ext: "html")])
        #expect(lint.status == 0, "\(lint.output.prefix(1000))")
    }

    @Test func reportsWithoutTheNewSeriesStillRender() throws {
        var report = try Fixture.report()
        report.timeline.p50Ms = nil
        report.timeline.p90Ms = nil
        report.timeline.inFlight = nil
        report.timeline.modes = nil
        report.latencyMs = nil
        report.timeline = TimelineReport(seconds: [], rps: [], eps: [], fps: [], p99Ms: [])
        let html = HTMLReport.render(report)
        #expect(html.contains("no data"))
        #expect(html.components(separatedBy: "<svg class=\"chart\"").count - 1 == 2)
    }

    static func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }
}
