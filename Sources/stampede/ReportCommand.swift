import ArgumentParser
import Foundation
import Replayer
import Reports

/// `stampede report html|junit|show|compare|merge`: read saved JSON reports.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render, reprint, check or compare saved run reports.",
        subcommands: [HTML.self, JUnit.self, Show.self, Compare.self, Merge.self]
    )

    /// Loads a report; a missing file is a usage error, an unreadable one a failure.
    static func load(_ path: String) throws -> ReplayReport {
        guard FileManager.default.fileExists(atPath: path) else { throw CLIError.usage("\(path): no such report file") }
        do {
            return try ReportFile.load(path)
        } catch {
            throw CLIError.failure(error.description)
        }
    }

    /// `report.json` → `report.html`.
    static func sibling(of path: String, extension ext: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingPathExtension().appendingPathExtension(ext).path
    }

    struct HTML: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "html", abstract: "Write a report as one self-contained HTML page.")

        @Argument(help: "A report JSON file.") var report: String
        @Option(name: .shortAndLong, help: "Output file (default: the report's name with .html).") var output: String?

        func run() throws {
            let r = try ReportCommand.load(report)
            try ReportOutputFlags.write(HTMLReport.render(r), to: output ?? ReportCommand.sibling(of: report, extension: "html"), what: "HTML report")
        }
    }

    struct JUnit: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "junit", abstract: "Write a report's thresholds, findings and flows as JUnit XML.")

        @Argument(help: "A report JSON file.") var report: String
        @Option(name: .shortAndLong, help: "Output file (default: the report's name with .xml).") var output: String?

        func run() throws {
            let r = try ReportCommand.load(report)
            try ReportOutputFlags.write(JUnitReport.render(r), to: output ?? ReportCommand.sibling(of: report, extension: "xml"), what: "JUnit file")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reprint the terminal summary of a saved report (and check it against thresholds).",
            discussion: "With --threshold, evaluates the thresholds on the saved report and exits 1 when one fails.")

        @Argument(help: "A report JSON file.") var report: String
        @OptionGroup var thresholds: ReportOutputFlags

        func run() throws {
            var r = try ReportCommand.load(report)
            let checking = !(try thresholds.thresholds()).isEmpty
            try thresholds.evaluate(&r)
            print(ReportSummary.render(r))
            try thresholds.writeFiles(r)
            // Thresholds saved with the run are shown; only the ones given here set the exit status.
            guard checking else {
                if let saved = r.thresholds, !saved.isEmpty { print(ThresholdTable.render(saved)) }
                return
            }
            let code = ReportOutputFlags.verdict(r, noFail: false)
            if code != 0 { throw ExitCode(code) }
        }
    }

    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two reports: per-endpoint p50/p99/error rate/rps changes and new, fixed and still-present findings.",
            discussion: """
                A change is a regression when worse than --tolerance: p50 or p99 up by more than it (and by 1 ms or more),
                the error rate up by more than it (and by 0.1 percentage point or more), rps down by more than it; a new
                finding is a regression too. Exit 1 on a regression only with --fail-on-regression.
                """)

        @Argument(help: "The baseline report.") var base: String
        @Argument(help: "The new report.") var new: String
        @Option(help: "Relative tolerance: 10%, or 0.1.") var tolerance = "10%"
        @Option(help: "table, json or markdown.") var format = "table"
        @Flag(help: "Exit 1 when a regression is found.") var failOnRegression = false

        func validate() throws {
            guard Self.fraction(tolerance) != nil else { throw ValidationError("--tolerance: expected a percentage such as 10% or a fraction such as 0.1") }
            guard ["table", "json", "markdown"].contains(format) else { throw ValidationError("--format: expected table, json or markdown") }
        }

        static func fraction(_ text: String) -> Double? {
            let t = text.trimmingCharacters(in: .whitespaces)
            let value = t.hasSuffix("%") ? Double(t.dropLast()).map { $0 / 100 } : Double(t)
            guard let value, value >= 0, value.isFinite else { return nil }
            return value
        }

        func run() throws {
            let comparison = ReportComparison(
                base: try ReportCommand.load(base), new: try ReportCommand.load(new), tolerance: Self.fraction(tolerance) ?? 0.1,
                baseName: base, newName: new)
            switch format {
            case "json": print(try comparison.json())
            case "markdown": print(comparison.markdown())
            default: print(comparison.table())
            }
            if comparison.regression && failOnRegression {
                Console.note("stampede: regression against \(base) (exit 1)")
                throw ExitCode(1)
            }
        }
    }
}
