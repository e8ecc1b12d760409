import DemoTarget
import Foundation
import PropertyCheck
import StampedeCore
import StampedeEngine
import StampedeHTTP
import StampedeTestSupport
import Synchronization
import Testing

/// The original suite's Hypothesis tests (`test_register_never_500`,
/// `test_grafana_webhook_never_500`) against the in-process demo target, plus `stampede check`
/// finding and shrinking a planted defect.
@Suite(.serialized) struct OriginalPropertyTests {
    /// Sends JSON bodies to one endpoint and tallies statuses (0 = transport failure).
    final class JSONPoster: Sendable {
        let engine: HTTPEngine
        let url: String
        let statuses = Mutex<[Int: Int]>([:])

        init(engine: HTTPEngine, url: String) {
            self.engine = engine
            self.url = url
        }

        func post(_ body: JSONValue) async -> PropertyVerdict {
            let response = await engine.send(EngineRequest(
                method: "POST", url: url, headers: [HTTPHeader("Content-Type", "application/json")],
                body: body.serializedBytes(), timeoutMs: 10_000))
            statuses.withLock { $0[response.failure == nil ? response.status : 0, default: 0] += 1 }
            if let failure = response.failure { return .fail(failure.name) }
            return (500..<600).contains(response.status) ? .fail("HTTP \(response.status)") : .pass
        }
    }

    static func withDemo<T>(defects: Bool = true, _ body: (DemoServer) async throws -> T) async throws -> T {
        let server = try await DemoServer.start(DemoServerOptions(port: 0, defects: defects))
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    @Test func registerNeverReturns5xx() async throws {
        try await Self.withDemo { server in
            let engine = try HTTPEngine(configuration: EngineConfiguration(workers: 1))
            defer { engine.shutdown() }
            let poster = JSONPoster(engine: engine, url: server.baseURL + "/api/v1/auth/register")
            let result = await PropertyCheck(schema: PropertyStrategies.register, runs: 200, seed: 0x5EED).run(poster.post)
            #expect(result.passed, "counterexample: \(result.counterexample?.minimal.serialized() ?? "")")
            #expect(result.runs == 200)
            let statuses = poster.statuses.withLock { $0 }
            // The inputs reach both the success path and validation, not just one of them.
            #expect(statuses[201, default: 0] > 0)
            #expect(statuses[422, default: 0] > 0)
            #expect(statuses.values.reduce(0, +) == 200)
        }
    }

    @Test func grafanaWebhookNeverReturns5xx() async throws {
        try await Self.withDemo { server in
            let engine = try HTTPEngine(configuration: EngineConfiguration(workers: 1))
            defer { engine.shutdown() }
            let poster = JSONPoster(engine: engine, url: server.baseURL + "/api/v1/alerts/grafana")
            let result = await PropertyCheck(schema: PropertyStrategies.grafanaWebhook, runs: 200, seed: 0x5EED).run(poster.post)
            #expect(result.passed, "counterexample: \(result.counterexample?.minimal.serialized() ?? "")")
            #expect(poster.statuses.withLock { $0 } == [200: 200])
        }
    }

    /// D5 (`lang_version` with a non-ASCII character) is reachable by *valid* variants of the
    /// recorded execute body: `lang_version` stays a string. `stampede check` must find it and
    /// shrink it to the documented minimal trigger: empty script, the recorded `"python"`, and
    /// the smallest non-ASCII character, U+0080.
    @Test func checkCommandFindsAndShrinksPlantedDefect() async throws {
        let defect = PlantedDefects.langVersionUnicode
        #expect(defect.endpoint == "POST /api/v1/execute")
        // The corpus the repository ships (a directory: its baseline.corpus), as the README runs it.
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("corpora/demo").path
        try await Self.withDemo { server in
            let run = try await Self.runStampede([
                "check", "--base-url", server.baseURL, "--corpus", corpus, "--endpoint", defect.endpoint,
                "--runs", "200", "--seed", "7", "--json",
            ])
            #expect(run.status == 1, "stderr: \(run.stderr)")
            let report = try JSONValue(parsing: run.stdout)
            #expect(report[key: "passed"] == .bool(false))
            #expect(report[key: "failure"] == .string("HTTP 500"))
            #expect(report[key: "minimal_text"]?.stringValue == "{\"script\":\"\",\"lang\":\"python\",\"lang_version\":\"\u{80}\"}")
            #expect(report[key: "locally_minimal"] == .bool(true))
            #expect(report[key: "curl"]?.stringValue?.contains("X-CSRF-Token") == true)
        }
    }

    /// The same check against a server without planted defects holds: the failure above is the defect.
    @Test func checkCommandPassesWithoutDefects() async throws {
        try await Self.withDemo(defects: false) { server in
            let corpus = try Self.writeDemoCorpus(baseURL: server.baseURL)
            defer { try? FileManager.default.removeItem(atPath: corpus) }
            let run = try await Self.runStampede([
                "check", "--base-url", server.baseURL, "--corpus", corpus, "--endpoint", "POST /api/v1/execute",
                "--runs", "100", "--seed", "7",
            ])
            #expect(run.status == 0, "stdout: \(run.stdout) stderr: \(run.stderr)")
            #expect(run.stdout.hasPrefix("check POST /api/v1/execute: property no-5xx held for 100 runs (seed 7)"))
        }
    }

    static func writeDemoCorpus(baseURL: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID().uuidString).corpus").path
        try CorpusWriter.writeAtomically(path: path, header: CorpusHeader(baseURL: baseURL, name: "demo"), sessions: DemoCorpus.sessions)
        return path
    }

    /// The `stampede` executable built next to this test bundle.
    static var stampedePath: String {
        get throws {
            let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("stampede").path
            let fromSource = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug/stampede").path
            return try #require([beside, fromSource].first { FileManager.default.isExecutableFile(atPath: $0) })
        }
    }

    static func runStampede(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try stampedePath)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes to the end off the cooperative pool; the CLI bounds its own run time.
        return await Task.detached {
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
        }.value
    }
}
