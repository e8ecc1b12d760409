import Foundation
import StampedeCore
import Testing

/// `stampede demo` with thresholds, `--html` and `--junit`: exit codes, the three files, and the
/// HTML page rendered by headless Chromium at a desktop and a phone width.
@Suite(.serialized) struct HTMLReportEndToEndTests {
    /// Screenshots land here (kept after the test for a person to look at).
    static let outputDirectory = ReplayEndToEndTests.repoRoot.appendingPathComponent(".build/test-output/html-report").path

    static func demo(_ ws: (root: String, corpus: String, out: String), thresholds: [String]) async throws -> CLIProcess.Result {
        var args = [
            "demo", "--corpus", ws.corpus, "--duration", "3", "--clients", "4", "--concurrency", "4", "--seed", "7",
            "--output", ws.out, "--html", ws.out + "/report.html", "--junit", ws.out + "/junit.xml", "--quiet",
            "--no-triage", "--no-regressions",
        ]
        for t in thresholds { args += ["--threshold", t] }
        return try await CLIProcess.run(args, timeout: .seconds(90))
    }

    @Test func failingThresholdExitsOneAndWritesAllThreeFiles() async throws {
        let ws = try CorpusGrowthEndToEndTests.workspace()
        let result = try await Self.demo(ws, thresholds: ["p99<60s", "requests<1"])
        #expect(result.status == 1, "stderr: \(result.stderr)")
        let line = try #require(result.stderr.split(separator: "\n").first { $0.contains("threshold(s) failed") })
        #expect(line.hasPrefix("stampede: 1 threshold(s) failed: requests<1 (requests "))
        #expect(result.stdout.contains("thresholds: 1 of 2 passed"))
        #expect(result.stdout.contains("  FAIL  requests<1"))

        let reportPath = try #require(ReplayEndToEndTests.reports(in: ws.out).first)
        let report = try ReplayEndToEndTests.load(reportPath)
        let violations = try SchemaValidator(schemaPath: ReplayEndToEndTests.schemaPath).validate(report)
        #expect(violations.isEmpty, "\(violations.prefix(10))")
        let thresholds = try #require(report[key: "thresholds"]?.arrayValue)
        #expect(thresholds.map { $0[key: "passed"]?.boolValue } == [true, false])
        let junit = try String(contentsOfFile: ws.out + "/junit.xml", encoding: .utf8)
        #expect(junit.contains("<testcase name=\"requests&lt;1\" classname=\"stampede.thresholds\""))
        let html = try String(contentsOfFile: ws.out + "/report.html", encoding: .utf8)
        #expect(html.contains("failed: 1 of 2 threshold(s) not met"))

        try Self.checkTimeline(report)
        try Self.checkInChromium(html: ws.out + "/report.html", endpoints: report[key: "endpoints"]?.objectMembers?.count ?? -1,
                                 findings: report[key: "findings"]?.arrayValue?.count ?? -1)
        try await Self.checkReportCommands(reportPath, ws.out)
    }

    /// The per-second series the charts draw: kinds add up to the total, p50 ≤ p90 ≤ p99, in flight ≤ the cap.
    static func checkTimeline(_ report: JSONValue) throws {
        let t = try #require(report[key: "timeline"])
        func series(_ key: String, _ v: JSONValue? = nil) -> [Double] { ((v ?? t)[key: key]?.arrayValue ?? []).compactMap(\.doubleValue) }
        let rps = series("rps")
        #expect(rps.count >= 3)
        let user = series("rps", t[key: "modes"]?[key: "user"]), monkey = series("rps", t[key: "modes"]?[key: "monkey"])
        #expect(user.count == rps.count && monkey.count == rps.count)
        #expect(zip(rps, zip(user, monkey)).allSatisfy { $0 == $1.0 + $1.1 })
        let (p50, p90, p99) = (series("p50_ms"), series("p90_ms"), series("p99_ms"))
        #expect(p50.count == rps.count && p90.count == rps.count)
        #expect(p50.indices.allSatisfy { p50[$0] <= p90[$0] && p90[$0] <= p99[$0] })
        let inFlight = series("in_flight")
        #expect(inFlight.count == rps.count && inFlight.max() ?? 0 > 0)
        #expect(inFlight.allSatisfy { $0 <= 4 }, "--concurrency 4")
    }

    /// `report show`, `report html`, `report junit` and `report compare` on the saved report.
    static func checkReportCommands(_ path: String, _ out: String) async throws {
        let show = try await CLIProcess.run(["report", "show", path, "--threshold", "requests>0"], timeout: .seconds(20))
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("thresholds: 1 of 1 passed") && show.stdout.contains("findings:"))
        let failing = try await CLIProcess.run(["report", "show", path, "--threshold", "findings<0"], timeout: .seconds(20))
        #expect(failing.status == 1 && failing.stderr.contains("1 threshold(s) failed: findings<0"))
        let html = try await CLIProcess.run(["report", "html", path, "-o", out + "/again.html"], timeout: .seconds(20))
        #expect(html.status == 0 && FileManager.default.fileExists(atPath: out + "/again.html"))
        let junit = try await CLIProcess.run(["report", "junit", path], timeout: .seconds(20))
        #expect(junit.status == 0 && FileManager.default.fileExists(atPath: path.replacingOccurrences(of: ".json", with: ".xml")))
        let same = try await CLIProcess.run(["report", "compare", path, path, "--fail-on-regression"], timeout: .seconds(20))
        #expect(same.status == 0 && same.stdout.contains("verdict: no regression"), "\(same.stderr)")
        let md = try await CLIProcess.run(["report", "compare", path, path, "--format", "markdown"], timeout: .seconds(20))
        #expect(md.stdout.hasPrefix("### Stampede: ✅ no regression"))
        let missing = try await CLIProcess.run(["report", "html", out + "/nope.json"], timeout: .seconds(20))
        #expect(missing.status == 2 && missing.stderr == "stampede: error: \(out)/nope.json: no such report file\n")
        let bad = try await CLIProcess.run(["report", "compare", path, path, "--tolerance", "lots"], timeout: .seconds(20))
        #expect(bad.status == 2 && bad.stderr.hasPrefix("stampede: error: --tolerance"))
    }

    @Test func metThresholdsExitZeroDespiteFindingsAnd4xx() async throws {
        let ws = try CorpusGrowthEndToEndTests.workspace()
        let result = try await Self.demo(ws, thresholds: ["p99<60s", "user: requests>0"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("thresholds: 2 of 2 passed"))
        let report = try ReplayEndToEndTests.load(try #require(ReplayEndToEndTests.reports(in: ws.out).first))
        let statuses = report[key: "endpoints"]?.objectMembers?.flatMap { $0.value[key: "status"]?.objectMembers ?? [] } ?? []
        #expect(statuses.contains { $0.key.hasPrefix("4") }, "the monkeys' garbage draws 4xx answers")
    }

    @Test func badThresholdIsAUsageError() async throws {
        let result = try await CLIProcess.run(["demo", "--threshold", "p99<fast"], timeout: .seconds(20))
        #expect(result.status == 2)
        #expect(result.stderr == "stampede: error: invalid threshold 'p99<fast': expected a number after <\n")
    }

    /// Loads the page in headless Chromium at 1280 and 390 px: every endpoint row and finding is in
    /// the DOM, the charts have a size, nothing overflows sideways, no request leaves the page.
    static func checkInChromium(html: String, endpoints: Int, findings: Int) throws {
        let chromium = try #require(
            ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) },
            "headless Chromium is needed (Debian package chromium; scripts/install-deps.sh installs it)")
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        let probe = page.replacingOccurrences(of: "</body>", with: "<pre id=\"check\"></pre><script>\(Self.probeScript)</script></body>")
        let probePath = outputDirectory + "/probe.html"
        try probe.write(toFile: probePath, atomically: true, encoding: .utf8)
        for width in [1280, 390] {
            let dom = try Self.chromium(chromium, ["--window-size=\(width),900", "--dump-dom", "file://" + probePath])
            let json = try #require(dom.firstMatch(of: /<pre id="check">([^<]*)<\/pre>/)?.1, "no probe result at \(width) px: \(dom.prefix(500))")
            let check = try JSONValue(parsing: String(json).replacingOccurrences(of: "&quot;", with: "\""))
            #expect(check[key: "rows"]?.doubleValue == Double(endpoints), "\(width) px")
            #expect(check[key: "findings"]?.doubleValue == Double(findings), "\(width) px")
            let svgs = check[key: "svgs"]?.arrayValue ?? []
            #expect(svgs.count == 3, "\(width) px")
            #expect(svgs.allSatisfy { ($0.arrayValue ?? []).allSatisfy { ($0.doubleValue ?? 0) > 0 } }, "\(width) px: \(svgs)")
            #expect(check[key: "overflow"]?.doubleValue.map { $0 <= 0 } == true, "\(width) px: page wider than the window: \(json)")
            #expect(check[key: "resources"]?.doubleValue == 0, "\(width) px: the page loaded resources")
            _ = try Self.chromium(chromium, ["--window-size=\(width),2400", "--screenshot=\(outputDirectory)/report-\(width).png", "file://" + html])
            #expect(FileManager.default.fileExists(atPath: "\(outputDirectory)/report-\(width).png"))
        }
    }

    static let probeScript = """
        (function () { var r = {};
          r.rows = document.querySelectorAll("tr.endpoint").length;
          r.findings = document.querySelectorAll("article.finding").length;
          r.svgs = Array.prototype.map.call(document.querySelectorAll("svg.chart"), function (s) {
            var b = s.getBoundingClientRect(); return [b.width, b.height]; });
          r.overflow = document.documentElement.scrollWidth - window.innerWidth;
          r.resources = performance.getEntriesByType("resource").length;
          document.getElementById("check").textContent = JSON.stringify(r); })();
        """

    static func chromium(_ binary: String, _ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-extensions"] + arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
