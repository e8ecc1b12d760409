import Foundation
import Replayer
import Reports
import Testing

@Suite struct JUnitReportTests {
    static let schema = Fixture.directory.appendingPathComponent("junit.xsd").path

    @Test func validatesAgainstTheJUnitSchema() throws {
        var report = try Fixture.report()
        report.thresholds = Threshold.evaluateAll(
            try Threshold.parseAll(["p99<60s", "server_error==0", "POST /api/v1/execute: p99<500ms", "user: failures==0"]), on: report)
        // One flow failed: its case fails, the others pass.
        report.flows?["demo-scripts"]?.failures = 2
        report.flows?["demo-scripts"]?.failureClasses["server_error"] = 2
        let xml = JUnitReport.render(report)
        let path = try Fixture.temporary(xml, ext: "xml")
        let lint = try Fixture.run("xmllint", ["--noout", "--schema", Self.schema, path])
        #expect(lint.status == 0, "\(lint.output)")

        // One case per threshold, one failed case per finding, one per user flow, one for the monkeys.
        let flows = try #require(report.flows)
        #expect(flows.count == 6)
        let cases = xml.components(separatedBy: "<testcase ").count - 1
        #expect(cases == 4 + report.findings.count + flows.count + 1)
        let failed = (report.thresholds ?? []).filter { !$0.passed }.count + report.findings.count + 1
        #expect(xml.contains("<testsuites name=\"stampede \(report.runID)\" tests=\"\(cases)\" failures=\"\(failed)\""))
        #expect(xml.contains("name=\"server_error==0\" classname=\"stampede.thresholds\""))
        #expect(xml.contains("p99&lt;60s"))
        for f in report.findings { #expect(xml.contains("[\(f.signature)]")) }
        for (id, flow) in flows { #expect(xml.contains("<testcase name=\"\(id) (\(flow.name ?? ""))\" classname=\"stampede.flows\"")) }
        #expect(xml.contains(
            "<testcase name=\"demo-scripts (saved scripts CRUD)\" classname=\"stampede.flows\" time=\"0\">\n"
                + "      <failure message=\"2 failure(s) in flow demo-scripts: server_error 2\" type=\"flow\">"))
        #expect(xml.contains("<testcase name=\"demo-webhook (grafana webhook + health)\" classname=\"stampede.flows\" time=\"0\"/>"))
        #expect(xml.contains("classname=\"stampede.monkey\" time=\"0\"/>"))
    }

    /// A report written before flows were counted still gets one case per client kind.
    @Test func anOlderReportHasOneCasePerClientKind() throws {
        var report = try Fixture.report()
        report.flows = nil
        let xml = JUnitReport.render(report)
        let lint = try Fixture.run("xmllint", ["--noout", "--schema", Self.schema, try Fixture.temporary(xml, ext: "xml")])
        #expect(lint.status == 0, "\(lint.output)")
        #expect(xml.contains("<testcase name=\"user flows: 422 requests, 103 sessions, 0 failure(s)\" classname=\"stampede.flows\""))
        #expect(xml.components(separatedBy: "classname=\"stampede.flows\"").count - 1 == report.modes.count)
    }

    @Test func anEmptyRunIsStillValid() throws {
        var report = try Fixture.report()
        report.findings = []
        report.modes = [:]
        report.flows = nil
        report.thresholds = nil
        let xml = JUnitReport.render(report)
        let lint = try Fixture.run("xmllint", ["--noout", "--schema", Self.schema, try Fixture.temporary(xml, ext: "xml")])
        #expect(lint.status == 0, "\(lint.output)")
        #expect(xml.contains("tests=\"0\" failures=\"0\""))
    }
}
