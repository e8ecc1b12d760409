import Foundation
public import Replayer
import StampedeClient

/// JUnit XML for CI test reporters (GitLab, Jenkins, GitHub): one test case per threshold, one per
/// finding (failed) and one per user flow (failed when that flow had failures).
///
/// The shape follows the common Jenkins/Ant schema: `testsuites` › `testsuite` › `testcase`
/// with an optional `failure` (`message`, `type`, text).
public enum JUnitReport {
    struct Case {
        var name: String
        var classname: String
        var failure: (message: String, type: String, text: String)?
    }

    /// The XML document.
    public static func render(_ report: ReplayReport) -> String {
        let suites: [(String, [Case])] = [
            ("thresholds", thresholdCases(report)), ("findings", findingCases(report)), ("flows", flowCases(report)),
        ].filter { !$0.1.isEmpty }
        let tests = suites.reduce(0) { $0 + $1.1.count }
        let failures = suites.reduce(0) { $0 + $1.1.filter { $0.failure != nil }.count }
        let time = Markup.number(report.runtimeSeconds)
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"stampede \(attr(report.runID))\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\" time=\"\(time)\">\n"
        for (id, (name, cases)) in suites.enumerated() {
            let failed = cases.filter { $0.failure != nil }.count
            xml += "  <testsuite name=\"stampede.\(name)\" id=\"\(id)\" tests=\"\(cases.count)\" failures=\"\(failed)\" errors=\"0\" skipped=\"0\""
            xml += " time=\"\(time)\" timestamp=\"\(attr(timestamp(report.startedAt)))\" hostname=\"\(attr(report.config.baseURL))\">\n"
            for c in cases {
                xml += "    <testcase name=\"\(attr(c.name))\" classname=\"\(attr(c.classname))\" time=\"0\""
                if let f = c.failure {
                    xml += ">\n      <failure message=\"\(attr(f.message))\" type=\"\(attr(f.type))\">\(Markup.escape(f.text))</failure>\n    </testcase>\n"
                } else {
                    xml += "/>\n"
                }
            }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

    private static func thresholdCases(_ r: ReplayReport) -> [Case] {
        (r.thresholds ?? []).map { t in
            let measured = ThresholdTable.measured(t)
            return Case(
                name: t.expression, classname: "stampede.thresholds",
                failure: t.passed ? nil : ("threshold \(t.expression) not met: measured \(measured)", "threshold", "measured \(measured)"))
        }
    }

    private static func findingCases(_ r: ReplayReport) -> [Case] {
        r.findings.sorted { $0.signature < $1.signature }.map { f in
            let example = f.minimal ?? f.example
            let text = "\(f.hits) hit(s), first seen \(Markup.number(f.firstSeenOffset)) s into the run\n\(example.curl)"
                + (f.crashFile.map { "\ncrash record: \($0)" } ?? "")
            return Case(
                name: "[\(f.signature)] \(f.endpoint) \(f.failure)", classname: "stampede.findings.\(f.failureClass.rawValue)",
                failure: ("\(f.failureClass.rawValue) \(f.failure) on \(f.endpoint)", f.failureClass.rawValue, text))
        }
    }

    /// One case per user flow (corpus session), failed when the flow had failures, and one for the
    /// monkeys (never failed: their findings are cases of their own). Reports written before flows
    /// were counted get one case per client kind instead.
    private static func flowCases(_ r: ReplayReport) -> [Case] {
        guard let flows = r.flows else { return modeCases(r) }
        var cases = flows.sorted { $0.key < $1.key }.map { id, flow in
            let summary = "\(flow.requests) requests, \(flow.iterations) completed, \(flow.failures) failure(s)"
            let title = flow.name.map { "\(id) (\($0))" } ?? id
            return Case(
                name: title, classname: "stampede.flows",
                failure: flow.failures > 0 ? ("\(flow.failures) failure(s) in flow \(id): \(classList(flow.failureClasses))", "flow", summary) : nil)
        }
        if let monkey = r.modes[ClientKind.monkey.rawValue] {
            cases.append(Case(name: "monkey: \(monkey.requests) requests, \(monkey.iterations) mutants", classname: "stampede.monkey", failure: nil))
        }
        return cases
    }

    /// One case per client kind that ran: the user flows fail on any failure, the monkey's on none.
    private static func modeCases(_ r: ReplayReport) -> [Case] {
        r.modes.sorted { $0.key < $1.key }.map { kind, m in
            let summary = "\(m.requests) requests, \(m.iterations) \(kind == ClientKind.user.rawValue ? "sessions" : "mutants"), \(m.failures) failure(s)"
            let fails = kind == ClientKind.user.rawValue && m.failures > 0
            return Case(
                name: "\(kind) flows: \(summary)", classname: "stampede.flows",
                failure: fails ? ("\(m.failures) user-flow failure(s): \(classList(m.failureClasses))", "flow", summary) : nil)
        }
    }

    /// `server_error 3, timeout 1`: the classes that occurred, `slow` left out.
    private static func classList(_ classes: [String: Int]) -> String {
        classes.filter { $0.value > 0 && $0.key != FailureClass.slow.rawValue }.sorted { $0.key < $1.key }
            .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    private static func attr(_ s: String) -> String { Markup.escape(s).replacingOccurrences(of: "\n", with: "&#10;") }

    /// `2026-11-29T19:49:18Z` → `2026-11-29T19:49:18` (the schema's timestamp has no zone).
    private static func timestamp(_ iso: String) -> String {
        String(iso.prefix(19))
    }
}
