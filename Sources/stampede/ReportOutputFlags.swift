import ArgumentParser
import Foundation
import Replayer
import Reports

/// Thresholds and the extra report files `replay` and `demo` write.
struct ReportOutputFlags: ParsableArguments {
    @Option(
        name: .customLong("threshold"),
        help: "Pass/fail criterion, repeatable: p99<300ms, errors<1%, 'POST /api/v1/execute: p99<500ms', 'user: failures==0'.")
    var thresholdExpressions: [String] = []
    @Option(help: "JSON config file with a thresholds list: {\"thresholds\": [\"p99<300ms\"]}.") var config: String?
    @Option(help: "Also write the report as one self-contained HTML page to this file.") var html: String?
    @Option(help: "Also write JUnit XML (thresholds, findings, flows) to this file, for CI test reporters.") var junit: String?

    func validate() throws {
        do {
            _ = try thresholds()
        } catch let error as CLIError {
            throw ValidationError(error.message)
        }
    }

    /// The `--threshold` expressions, then the config file's.
    func thresholds() throws -> [Threshold] {
        var expressions = thresholdExpressions
        if let config {
            do {
                expressions += try ReportFile.thresholdExpressions(configFile: config)
            } catch {
                throw CLIError.usage("--config: \(error.description)")
            }
        }
        do {
            return try Threshold.parseAll(expressions)
        } catch {
            throw CLIError.usage(error.description)
        }
    }

    /// Evaluates the thresholds into the report (before it is written).
    func evaluate(_ report: inout ReplayReport) throws {
        let thresholds = try thresholds()
        guard !thresholds.isEmpty else { return }
        report.thresholds = Threshold.evaluateAll(thresholds, on: report)
    }

    /// Writes the HTML and JUnit files asked for; a file that cannot be written is a runtime error.
    func writeFiles(_ report: ReplayReport) throws {
        if let html { try Self.write(HTMLReport.render(report), to: html, what: "HTML report") }
        if let junit { try Self.write(JUnitReport.render(report), to: junit, what: "JUnit file") }
    }

    static func write(_ text: String, to path: String, what: String) throws {
        do {
            try ReportFile.write(text, to: path)
        } catch {
            throw CLIError.failure("cannot write the \(what) to \(path): \(error.localizedDescription)")
        }
        print("\(what): \(path)")
    }

    /// Prints the threshold table and returns the exit status the run's gate gives.
    static func verdict(_ report: ReplayReport, noFail: Bool) -> Int32 {
        if let results = report.thresholds, !results.isEmpty {
            print(ThresholdTable.render(results))
            guard let line = ThresholdTable.failureLine(results) else { return 0 }
            Console.note("stampede: " + line + (noFail ? " (--no-fail: exit 0)" : " (exit 1)"))
            return noFail ? 0 : 1
        }
        guard report.hasFailures else { return 0 }
        Console.note("stampede: failures found (" + (noFail ? "--no-fail: exit 0)" : "exit 1; --no-fail to exit 0)"))
        return noFail ? 0 : 1
    }
}
