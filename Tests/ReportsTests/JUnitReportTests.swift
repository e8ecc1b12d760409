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
        let xml = JUnitReport.render(report)
        let path = try Fixture.temporary(xml, ext: "xml")
        let lint = try Fixture.run("xmllint", ["--noout", "--schema", Self.schema, path])
        #expect(lint.status == 0, "\(lint.output)")

        // One case per threshold, one failed case per finding, one per client kind.
        let cases = xml.components(separatedBy: "<testcase ").count - 1
        #expect(cases == 4 + report.findings.count + report.modes.count)
        let failed = (report.thresholds ?? []).filter { !$0.passed }.count + report.findings.count
            + ((report.modes["user"]?.failures ?? 0) > 0 ? 1 : 0)
        #expect(xml.contains("<testsuites name=\"stampede \(report.runID)\" tests=\"\(cases)\" failures=\"\(failed)\""))
        #expect(xml.contains("name=\"server_error==0\" classname=\"stampede.thresholds\""))
        #expect(xml.contains("p99&lt;60s"))
        for f in report.findings { #expect(xml.contains("[\(f.signature)]")) }
    }

    @Test func anEmptyRunIsStillValid() throws {
        var report = try Fixture.report()
        report.findings = []
        report.modes = [:]
        report.thresholds = nil
        let xml = JUnitReport.render(report)
        let lint = try Fixture.run("xmllint", ["--noout", "--schema", Self.schema, try Fixture.temporary(xml, ext: "xml")])
        #expect(lint.status == 0, "\(lint.output)")
        #expect(xml.contains("tests=\"0\" failures=\"0\""))
    }
}
