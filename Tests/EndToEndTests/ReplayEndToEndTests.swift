import DemoTarget
import Foundation
import StampedeCore
import StampedeTestSupport
import Testing

/// The `stampede` CLI as a process against the demo target on loopback.
@Suite(.serialized) struct ReplayEndToEndTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let schemaPath = repoRoot.appendingPathComponent("docs/report.schema.json").path

    /// A scratch directory with `corpus/baseline.corpus` (the test corpus) and `out/`.
    static func workspace() throws -> (root: String, corpus: String, out: String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stampede-e2e-\(UUID().uuidString)").path
        let corpus = root + "/corpus"
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        try CorpusWriter.writeAtomically(
            path: corpus + "/baseline.corpus", header: CorpusHeader(baseURL: "http://127.0.0.1:8000", name: "e2e"),
            sessions: TestCorpus.sessions)
        return (root, corpus, root + "/out")
    }

    static func reports(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasPrefix("report_") && $0.hasSuffix(".json") }.sorted().map { directory + "/" + $0 }
    }

    static func load(_ path: String) throws -> JSONValue {
        try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    static func int(_ v: JSONValue?) -> Int { Int(v?.doubleValue ?? -1) }

    @Test func bothModeAgainstASoundTarget() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        let ws = try Self.workspace()
        let result = try await CLIProcess.run(
            [
                "replay", "--corpus", ws.corpus, "--base-url", server.baseURL, "--mode", "both", "--clients", "20",
                "--concurrency", "8", "--duration", "10", "--output", ws.out, "--seed", "1", "--sse-window", "2",
                "--request-timeout", "5", "--no-fail",
            ], timeout: .seconds(40))
        await server.stop()
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("report: "))
        let paths = Self.reports(in: ws.out)
        let path = try #require(paths.first)
        #expect(paths.count == 1)
        let name = (path as NSString).lastPathComponent
        #expect(name.wholeMatch(of: /report_both_\d{8}_\d{6}\.json/) != nil)

        let report = try Self.load(path)
        let violations = try SchemaValidator(schemaPath: Self.schemaPath).validate(report)
        #expect(violations.isEmpty, "\(violations.prefix(10))")

        // Totals add up.
        let endpoints = try #require(report[key: "endpoints"]?.objectMembers)
        let total = Self.int(report[key: "total_requests"])
        #expect(total > 500)
        #expect(endpoints.reduce(0) { $0 + Self.int($1.value[key: "count"]) } == total)
        #expect(endpoints.reduce(0) { $0 + Self.int($1.value[key: "errors"]) } == Self.int(report[key: "total_errors"]))
        let rps = report[pointer: "/timeline/rps"]?.arrayValue ?? []
        #expect(rps.reduce(0) { $0 + Self.int($1) } == total)
        let modeTotal = Self.int(report[pointer: "/modes/user/requests"]) + Self.int(report[pointer: "/modes/monkey/requests"])
        #expect(modeTotal == total)

        // User steps all answered in their recorded status class.
        #expect(Self.int(report[pointer: "/modes/user/failures"]) == 0, "findings: \(report[key: "findings"]?.serialized().prefix(2000) ?? "")")
        #expect(Self.int(report[pointer: "/modes/user/failure_classes/expectation"]) == 0)
        #expect(Self.int(report[pointer: "/modes/user/requests"]) > 100)
        #expect(Self.int(report[pointer: "/modes/monkey/requests"]) > 100)

        // The concurrency cap holds, and every client worked.
        let maxInFlight = Self.int(report[key: "max_in_flight"])
        #expect(maxInFlight >= 1 && maxInFlight <= 8)
        #expect(Self.int(report[pointer: "/clients/active"]) == 20)
        #expect(Self.int(report[pointer: "/clients/min_requests_per_client"]) > 0)
        #expect(Self.int(report[pointer: "/config/concurrency"]) == 8)
        #expect(report[key: "seed"]?.scalarText == "1")
        #expect(Self.int(report[pointer: "/sse/streams"]) > 0)
    }

    @Test func monkeysReachEveryRecordedEndpoint() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        let ws = try Self.workspace()
        let result = try await CLIProcess.run(
            [
                "replay", "--corpus", ws.corpus, "--base-url", server.baseURL, "--mode", "monkey", "--clients", "10",
                "--concurrency", "8", "--duration", "6", "--output", ws.out, "--seed", "3", "--no-fail", "--quiet",
            ], timeout: .seconds(30))
        await server.stop()
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let report = try Self.load(try #require(Self.reports(in: ws.out).first))
        let endpoints = report[key: "endpoints"]
        var recorded = Set<String>()
        for session in TestCorpus.sessions {
            for step in session.steps { recorded.insert(EndpointTemplate.key(method: step.request.method, path: step.request.path)) }
        }
        #expect(recorded.count == 18)
        let missing = recorded.filter { Self.int(endpoints?[key: $0]?[key: "count"]) <= 0 }
        #expect(missing.isEmpty, "not reached: \(missing.sorted())")
        #expect(Self.int(report[pointer: "/modes/monkey/iterations"]) > 500)
    }

    @Test func interruptStillWritesTheReport() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        let ws = try Self.workspace()
        let cli = try CLIProcess(
            [
                "replay", "--corpus", ws.corpus, "--base-url", server.baseURL, "--mode", "both", "--clients", "6",
                "--concurrency", "3", "--duration", "120", "--output", ws.out, "--no-fail",
            ])
        try cli.start()
        // Standard error is not a terminal, so progress comes as plain lines, one per second.
        let progress = await cli.waitForStderrLine { $0.contains(" rps ") }
        #expect(progress != nil)
        cli.process.interrupt()
        let result = await cli.finish(timeout: .seconds(20))
        await server.stop()
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let report = try Self.load(try #require(Self.reports(in: ws.out).first))
        #expect(report[key: "interrupted"] == .bool(true))
        #expect(Self.int(report[key: "total_requests"]) > 0)
        #expect((report[key: "runtime_seconds"]?.doubleValue ?? 999) < 30)
    }

    @Test func unreachableBaseURLFailsFast() async throws {
        let ws = try Self.workspace()
        let began = ContinuousClock.now
        let result = try await CLIProcess.run(
            ["replay", "--corpus", ws.corpus, "--base-url", "http://127.0.0.1:1", "--duration", "30", "--output", ws.out],
            timeout: .seconds(20))
        #expect(result.status == 1)
        #expect(result.stderr.contains("stampede: error: cannot reach http://127.0.0.1:1: CURLE_COULDNT_CONNECT"), "\(result.stderr)")
        #expect(ContinuousClock.now - began < .seconds(10))
    }

    @Test(arguments: [
        ["--mode", "sideways"], ["--clients", "0"], ["--monkey-share", "2"], ["--rate", "-1"], ["--request-timeout", "soon"],
    ])
    func badUsageExitsTwo(arguments: [String]) async throws {
        let ws = try Self.workspace()
        let result = try await CLIProcess.run(
            ["replay", "--corpus", ws.corpus, "--base-url", "http://127.0.0.1:1", "--output", ws.out] + arguments,
            timeout: .seconds(20))
        #expect(result.status == 2, "stderr: \(result.stderr)")
        #expect(result.stderr.hasPrefix("stampede: error: "))
        #expect(Self.reports(in: ws.out).isEmpty)
    }

    @Test func environmentVariablesConfigureTheRun() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        let ws = try Self.workspace()
        let result = try await CLIProcess.run(
            ["replay", "--corpus", ws.corpus, "--quiet", "--no-fail"],
            environment: [
                "LOAD_BASE_URL": server.baseURL, "LOAD_MODE": "user", "LOAD_CLIENTS": "3", "LOAD_CONCURRENCY": "2",
                "LOAD_DURATION": "2", "LOAD_OUTPUT": ws.out, "LOAD_USER_PREFIX": "envuser",
            ], timeout: .seconds(30))
        await server.stop()
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let report = try Self.load(try #require(Self.reports(in: ws.out).first))
        #expect(report[pointer: "/config/mode"]?.stringValue == "user")
        #expect(Self.int(report[pointer: "/config/clients"]) == 3)
        #expect(report[pointer: "/config/user_prefix"]?.stringValue == "envuser")
        #expect(Self.int(report[key: "max_in_flight"]) <= 2)
    }

    @Test func demoCommandRunsTheEmbeddedTarget() async throws {
        let ws = try Self.workspace()
        let p = try CLIProcess(["demo", "--corpus", ws.corpus, "--duration", "4", "--output", ws.out, "--quiet", "--seed", "11"])
        // Run in the scratch directory: the repository's corpora/demo is never written by tests.
        p.process.currentDirectoryURL = URL(fileURLWithPath: ws.root)
        try p.start()
        let result = await p.finish(timeout: .seconds(40))
        let report = try Self.load(try #require(Self.reports(in: ws.out).first))
        let findings = report[key: "findings"]?.arrayValue ?? []
        #expect(result.status == (findings.isEmpty && Self.int(report[pointer: "/modes/user/failures"]) == 0 ? 0 : 1))
        #expect(result.stdout.contains("findings:"))
        #expect(report[key: "mode"]?.stringValue == "both")
        #expect(Self.int(report[pointer: "/clients/active"]) == 20)
    }
}
