import DemoTarget
import Foundation
import StampedeCore
import StampedeHTTP
import Testing

/// Corpus growth end to end: `stampede replay` finds the demo target's planted defects, confirms
/// and minimizes each into one crash record, replays them as regressions, and never reports a
/// finding against the sound target.
@Suite(.serialized) struct CorpusGrowthEndToEndTests {
    /// A copy of the shipped `corpora/demo` (baseline only) in a scratch directory: tests never
    /// write into the repository's corpus.
    static func workspace() throws -> (root: String, corpus: String, out: String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stampede-growth-\(UUID().uuidString)").path
        let corpus = root + "/demo"
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        let shipped = ReplayEndToEndTests.repoRoot.appendingPathComponent("corpora/demo/baseline.corpus").path
        try FileManager.default.copyItem(atPath: shipped, toPath: corpus + "/baseline.corpus")
        return (root, corpus, root + "/out")
    }

    static func replay(_ ws: (root: String, corpus: String, out: String), _ baseURL: String, duration: Int, seed: Int, extra: [String] = []) -> [String] {
        [
            "replay", "--corpus", ws.corpus, "--base-url", baseURL, "--mode", "monkey", "--duration", String(duration),
            "--request-timeout", "2s", "--output", ws.out, "--seed", String(seed), "--quiet",
        ] + extra
    }

    static func latestReport(_ out: String) throws -> JSONValue {
        try ReplayEndToEndTests.load(try #require(ReplayEndToEndTests.reports(in: out).last))
    }

    static func crashFiles(_ corpus: String) -> [String] {
        CorpusDirectory(corpus).crashFiles()
    }

    /// Every crash file reads back whole: no damage, exactly one crash record, named by its signature.
    static func expectValidCrashFiles(_ corpus: String) throws {
        for file in crashFiles(corpus) {
            let loaded = try Corpus.load(path: file)
            #expect(loaded.damages.isEmpty, "\(file): \(loaded.damages)")
            #expect(loaded.sessions.count == 1, "\(file)")
            let crash = try #require(loaded.sessions.first?.crash, "\(file)")
            #expect(file.hasSuffix("/\(crash.signature).corpus"))
            // Its reproducer script sits next to it.
            #expect(FileManager.default.isExecutableFile(atPath: String(file.dropLast(".corpus".count)) + ".sh"), "\(file)")
        }
    }

    /// The minimal request of a finding, decoded from the report.
    struct Minimal {
        var method: String
        var path: String
        var query: [(String, String?)]
        var headers: [String]
        var body: String?
    }

    static func minimal(of finding: JSONValue) throws -> Minimal {
        let request = try #require(finding[pointer: "/minimal/request"])
        let query = (request[key: "query"]?.arrayValue ?? []).map { ($0[key: "name"]?.stringValue ?? "", $0[key: "value"]?.stringValue) }
        let headers = (request[key: "headers"]?.arrayValue ?? []).compactMap { $0[key: "name"]?.stringValue?.lowercased() }
        return Minimal(
            method: request[key: "method"]?.stringValue ?? "", path: request[key: "path"]?.stringValue ?? "", query: query,
            headers: headers.filter { $0 != "cookie" && $0 != "x-csrf-token" }, body: request[pointer: "/body/text"]?.stringValue)
    }

    /// Checks a minimal request against the defect's trigger: nothing more than the defect needs.
    static func expectMinimal(_ defect: String, _ m: Minimal) throws {
        let json = m.body.flatMap { try? JSONValue(parsing: $0) }
        switch defect {
        case "D1":
            let members = try #require(json?.objectMembers, "D1 body \(m.body ?? "nil")")
            #expect(members.map(\.key) == ["theme"])
            #expect(members.first?.value.stringValue == nil && members.first?.value != .null)
            #expect(m.query.isEmpty && m.headers.isEmpty)
        case "D2":
            #expect(m.query.count == 1 && m.query.first?.0 == "limit", "\(m.query)")
            let limit = Int(m.query.first?.1 ?? "") ?? 0
            #expect(limit < 0 || limit > 1000)
            #expect((m.query.first?.1 ?? "").count <= 4, "limit \(m.query.first?.1 ?? "") is not minimal (-1 or 1001)")
            #expect(m.body == nil && m.headers.isEmpty)
        case "D3":
            #expect(m.method == "PATCH")
            #expect(m.query.isEmpty && m.headers.isEmpty && (m.body ?? "").isEmpty)
        case "D4":
            #expect(m.method == "GET")
            let id = m.path.split(separator: "/").last.map(String.init) ?? ""
            #expect(id.count == 65, "id of \(id.count) characters")
            #expect(m.query.isEmpty && m.headers.isEmpty && m.body == nil)
        case "D5":
            let members = try #require(json?.objectMembers, "D5 body \(m.body ?? "nil")")
            let version = members.first { $0.key == "lang_version" }?.value.stringValue ?? ""
            #expect(version.unicodeScalars.contains { !$0.isASCII })
            #expect(members.allSatisfy { $0.key == "lang_version" || ($0.key == "script" && $0.value.stringValue == "") }, "\(m.body ?? "")")
            #expect(m.query.isEmpty && m.headers.isEmpty)
        case "D6":
            #expect(!m.headers.contains("content-type"))
            #expect(m.headers.isEmpty && m.query.isEmpty && (m.body ?? "").isEmpty)
        case "D7":
            #expect(m.query.count == 1 && m.query.first?.0 == "limit" && m.query.first?.1 == "0", "\(m.query)")
            #expect(m.headers.isEmpty && m.body == nil)
        case "D8":
            #expect(m.method == "GET" && (m.headers == ["if-match"] || m.headers == ["if-none-match"]), "\(m.headers)")
            #expect(m.query.isEmpty && m.body == nil)
        case "D9":
            #expect(m.method == "DELETE" && m.headers == ["content-type"], "\(m.headers)")
            #expect(m.query.isEmpty && (m.body ?? "").isEmpty)
        case "D10":
            let odd = ["__proto__", "constructor", "prototype", "$where"]
            #expect(odd.contains { (m.body ?? "").contains("\"\($0)\"") }, "\(m.body ?? "nil")")
            #expect((m.body ?? "").utf8.count <= 48, "\(m.body ?? "")")
            #expect(m.query.isEmpty && m.headers.isEmpty)
        case "D11":
            #expect(m.method == "PUT" && depth(json) == 33, "depth \(depth(json)) of \(m.body?.prefix(80) ?? "nil")")
            #expect(m.query.isEmpty && m.headers.isEmpty)
        case "D12":
            #expect(m.method == "GET" && m.path.hasSuffix("/health/version"), "\(m.path)")
            #expect(m.query.isEmpty && m.headers.isEmpty && m.body == nil)
        default:
            Issue.record("unknown defect \(defect)")
        }
    }

    /// Levels of nested arrays and objects.
    static func depth(_ value: JSONValue?) -> Int {
        switch value {
        case .array(let items)?: 1 + (items.map { depth($0) }.max() ?? 0)
        case .object(let members)?: 1 + (members.map { depth($0.value) }.max() ?? 0)
        default: 0
        }
    }

    /// The (method, endpoint, failure class) a confirmed finding of each defect has.
    static let defectFindings: [String: (String, String)] = [
        "D1": ("PUT /api/v1/user/settings/theme", "server_error"),
        "D2": ("GET /api/v1/notifications", "server_error"),
        "D3": ("PATCH /api/v1/scripts/{id}", "server_error"),
        "D4": ("GET /api/v1/scripts/{id}", "server_error"),
        "D5": ("POST /api/v1/execute", "server_error"),
        "D6": ("POST /api/v1/scripts", "transport"),
        "D7": ("GET /api/v1/executions/{id}/events", "timeout"),
        "D8": ("GET /api/v1/user/settings/", "server_error"),
        "D9": ("DELETE /api/v1/scripts/{id}", "server_error"),
        "D10": ("POST /api/v1/alerts/grafana", "server_error"),
        "D11": ("PUT /api/v1/scripts/{id}", "server_error"),
        "D12": ("GET /api/v1/health/version", "server_error"),
    ]

    @Test func findsMinimizesAndReplaysEveryPlantedDefect() async throws {
        #expect(Set(Self.defectFindings.keys) == Set(PlantedDefects.all.map(\.id)))
        let ws = try Self.workspace()
        let defects = try await DemoServer.start(DemoServerOptions(defects: true))

        // Run 1: the load finds the defects; triage confirms, minimizes and saves each once.
        let first = try await CLIProcess.run(Self.replay(ws, defects.baseURL, duration: 30, seed: 8), timeout: .seconds(75))
        #expect(first.status == 1, "stderr: \(first.stderr)")
        #expect(first.stdout.contains("minimal: curl "))
        #expect(first.stdout.contains("reproduce: bash "))
        for line in first.stdout.split(separator: "\n") { #expect(line.count <= 200, "\(line.prefix(100))") }
        let report1 = try Self.latestReport(ws.out)
        let violations = try SchemaValidator(schemaPath: ReplayEndToEndTests.schemaPath).validate(report1)
        #expect(violations.isEmpty, "\(violations.prefix(10))")
        let findings = report1[key: "findings"]?.arrayValue ?? []
        let confirmed = findings.filter { $0[key: "confirmed"] == .bool(true) }
        // #13: per-operator yield. Operators sent mutants, and the findings' operators are credited.
        let yield = report1[key: "operator_yield"]?.arrayValue ?? []
        #expect(yield.contains { ($0[key: "mutants"]?.doubleValue ?? 0) > 0 && ($0[key: "new_shapes"]?.doubleValue ?? 0) > 0 })
        #expect(yield.reduce(0) { $0 + ($1[key: "findings"]?.doubleValue ?? 0) } >= Double(Self.defectFindings.count / 2), "\(yield.prefix(5))")
        for (defect, (endpoint, failureClass)) in Self.defectFindings.sorted(by: { $0.key < $1.key }) {
            let matching = confirmed.filter {
                $0[key: "endpoint"]?.stringValue == endpoint && $0[key: "failure_class"]?.stringValue == failureClass
            }
            #expect(matching.count == 1, "\(defect): \(matching.count) findings on \(endpoint)")
            guard let finding = matching.first else { continue }
            #expect(finding[key: "minimized"] == .bool(true), "\(defect) not minimized")
            #expect((finding[key: "reproduce_rate"]?.doubleValue ?? 0) > 0)
            try Self.expectMinimal(defect, try Self.minimal(of: finding))
        }
        // Every planted defect once; a defect reached a second way (another failure class on its
        // endpoint, e.g. D6's dropped connection also seen as a timeout) may add a finding, but
        // nothing is found off the planted endpoints, and run 3 shows every record is fixed
        // when the defects are switched off.
        let planted = Set(Self.defectFindings.values.map(\.0))
        #expect(confirmed.count >= Self.defectFindings.count, "findings: \(confirmed.map { $0[key: "endpoint"]?.stringValue ?? "" })")
        #expect(confirmed.allSatisfy { planted.contains($0[key: "endpoint"]?.stringValue ?? "") })
        #expect(findings.count == confirmed.count, "unconfirmed: \(findings.filter { $0[key: "confirmed"] != .bool(true) }.map { $0[key: "signature"]?.stringValue ?? "" })")
        let files1 = Self.crashFiles(ws.corpus)
        #expect(files1.count == confirmed.count)
        #expect(Set(files1.map { ($0 as NSString).lastPathComponent }) == Set(confirmed.compactMap { $0[key: "signature"]?.stringValue.map { $0 + ".corpus" } }))
        try Self.expectValidCrashFiles(ws.corpus)
        let hits1 = try files1.map { try Corpus.load(path: $0).sessions.first?.crash?.hits ?? 0 }

        // Run 2: every crash record still fails; nothing is duplicated.
        let second = try await CLIProcess.run(Self.replay(ws, defects.baseURL, duration: 5, seed: 9), timeout: .seconds(60))
        await defects.stop()
        #expect(second.status == 1, "stderr: \(second.stderr)")
        let report2 = try Self.latestReport(ws.out)
        let regressions2 = report2[key: "regressions"]?.arrayValue ?? []
        #expect(regressions2.count == files1.count)
        #expect(regressions2.allSatisfy { $0[key: "status"]?.stringValue == "still_failing" }, "\(regressions2.map { $0.serialized() })")
        #expect(Self.crashFiles(ws.corpus) == files1)
        try Self.expectValidCrashFiles(ws.corpus)
        let hits2 = try files1.map { try Corpus.load(path: $0).sessions.first?.crash?.hits ?? 0 }
        #expect(zip(hits1, hits2).allSatisfy { $0 <= $1 })
        #expect(hits2.reduce(0, +) > hits1.reduce(0, +))

        // Run 3, sound target: every record is fixed, nothing is found, exit 0.
        let sound = try await DemoServer.start(DemoServerOptions(defects: false))
        let third = try await CLIProcess.run(Self.replay(ws, sound.baseURL, duration: 4, seed: 10), timeout: .seconds(40))
        await sound.stop()
        #expect(third.status == 0, "stdout: \(third.stdout.suffix(2000)) stderr: \(third.stderr)")
        let report3 = try Self.latestReport(ws.out)
        let regressions3 = report3[key: "regressions"]?.arrayValue ?? []
        #expect(regressions3.count == files1.count)
        #expect(regressions3.allSatisfy { $0[key: "status"]?.stringValue == "fixed" })
        #expect(report3[key: "findings"]?.arrayValue?.isEmpty == true)
        #expect(Self.crashFiles(ws.corpus) == files1)
    }

    @Test func killedDuringTriageLeavesEveryCrashFileValid() async throws {
        let ws = try Self.workspace()
        let server = try await DemoServer.start(DemoServerOptions(defects: true))
        // A big budget keeps triage going long after the first crash file is written.
        let cli = try CLIProcess(Self.replay(ws, server.baseURL, duration: 4, seed: 3, extra: ["--minimize-budget", "5000"]))
        try cli.start()
        let crashes = CorpusDirectory(ws.corpus).crashesPath
        let deadline = ContinuousClock.now + .seconds(40)
        var seen: [String] = []
        while cli.process.isRunning && ContinuousClock.now < deadline {
            seen = Self.crashFiles(ws.corpus)
            if !seen.isEmpty { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(!seen.isEmpty, "no crash file appeared in \(crashes)")
        #expect(cli.process.isRunning, "the run ended before it could be killed")
        kill(cli.process.processIdentifier, SIGKILL)
        let result = await cli.finish(timeout: .seconds(10))
        await server.stop()
        #expect(result.status == SIGKILL)
        #expect(!Self.crashFiles(ws.corpus).isEmpty)
        try Self.expectValidCrashFiles(ws.corpus)
        let validate = try await CLIProcess.run(["corpus", "validate", ws.corpus], timeout: .seconds(20))
        #expect(validate.status == 0, "\(validate.stdout) \(validate.stderr)")
    }

    @Test func noFindingAgainstTheSoundTarget() async throws {
        let ws = try Self.workspace()
        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        let result = try await CLIProcess.run(Self.replay(ws, server.baseURL, duration: 6, seed: 4), timeout: .seconds(40))
        await server.stop()
        #expect(result.status == 0, "stdout: \(result.stdout.suffix(2000))")
        let report = try Self.latestReport(ws.out)
        #expect(report[key: "findings"]?.arrayValue?.isEmpty == true)
        #expect(Self.crashFiles(ws.corpus).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: CorpusDirectory(ws.corpus).crashesPath))
    }
}
