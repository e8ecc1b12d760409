import Foundation
import StampedeCore
import StampedeEngine
import Testing

/// #11 acceptance: Stampede records and replays servers nobody here wrote (Kinto with HTTP Basic
/// accounts, Jupyter Server with a password form login and `_xsrf`), installed from PyPI by
/// scripts/install-test-servers.sh. Each test starts its own server on a free loopback port and
/// stops its process group even when the test fails. Serialized: each replay is a bounded load
/// (8 clients, 20 s) that should not compete with another.
@Suite(
    .serialized,
    .enabled(if: ThirdPartyVenv.isInstalled || ThirdPartyVenv.isRequired, Comment(rawValue: ThirdPartyVenv.missingMessage)))
final class ThirdPartyAcceptanceTests {
    let scratch: String
    let engine: HTTPEngine

    init() throws {
        try #require(ThirdPartyVenv.isInstalled, Comment(rawValue: ThirdPartyVenv.missingMessage))
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("stampede-thirdparty-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        engine = try HTTPEngine(configuration: EngineConfiguration(workers: 1))
    }

    deinit {
        engine.shutdown()
        try? FileManager.default.removeItem(atPath: scratch)
    }

    func workspace(_ label: String) throws -> StampedeRun {
        let directory = scratch + "/" + label
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return StampedeRun(directory: directory)
    }

    /// The harness itself: the flow script succeeds against the server directly (no Stampede involved).
    @Test(arguments: ThirdPartyServer.allCases)
    func flowRunsAgainstTheServer(_ kind: ThirdPartyServer) async throws {
        let server = try await RunningServer.start(kind, in: scratch, engine: engine)
        defer { server.stop() }
        let flow = try ChildProcess(
            "/bin/bash", [kind.flowScript, server.baseURL], environment: ThirdPartyVenv.environment(kind.flowEnvironment),
            stdout: server.directory + "/flow.out", stderr: server.directory + "/flow.err")
        defer { flow.stop() }
        let status = await flow.waitForExit(timeout: .seconds(120))
        #expect(status == 0, "\(flow.tail())")
        #expect(flow.output.split(separator: "\n").count == kind.flowRequestCount, "\(flow.output)")
    }

    /// The recording holds what #11 says correlation must infer, and every step replays as recorded
    /// when verified by a fresh client.
    @Test(arguments: ThirdPartyServer.allCases)
    func recordingCorrelatesAndVerifies(_ kind: ThirdPartyServer) async throws {
        let server = try await RunningServer.start(kind, in: scratch, engine: engine)
        defer { server.stop() }
        let stampede = try workspace("record-\(kind)")
        let recording = try await FlowRecording.record(server, with: stampede)
        let problems = kind.corpusProblems(recording.steps)
        let show = problems.isEmpty ? "" : await recording.show(with: stampede)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))\n\(show)")
        let verified = try #require(recording.verified, "no verification line:\n\(recording.recorderOutput)")
        #expect(verified.good == verified.total && verified.total == kind.flowRequestCount, "\(recording.recorderOutput)")
    }

    /// `replay --mode user --clients 8 --concurrency 8 --duration 20`: no user failures.
    @Test(arguments: ThirdPartyServer.allCases)
    func userReplayHasNoFailures(_ kind: ThirdPartyServer) async throws {
        let server = try await RunningServer.start(kind, in: scratch, engine: engine)
        defer { server.stop() }
        let stampede = try workspace("user-\(kind)")
        let recording = try await FlowRecording.record(server, with: stampede)
        let out = stampede.directory + "/out"
        let replay = try await stampede.run(
            "replay-user",
            [
                "replay", "--corpus", recording.corpusDirectory, "--base-url", server.baseURL, "--mode", "user",
                "--clients", "8", "--concurrency", "8", "--duration", "20", "--output", out, "--seed", "11",
                "--request-timeout", ThirdPartyServer.requestTimeout,
                "--triage-time", "30", "--no-save-crashes", "--quiet",
            ], environment: kind.credentials, timeout: .seconds(150))
        #expect(replay.exitStatus == 0, "\(replay.tail(60))")
        let report = try ReplayReport.load(in: out)
        let context = "\(report.findingSummary)\n\(replay.tail(40))\n\(await recording.show(with: stampede))"
        #expect(report.int("/modes/user/failures") == 0, "\(context)")
        #expect(report.int("/modes/user/iterations") >= 8, "every client finishes the flow at least once\n\(context)")
        #expect(report.int("/clients/min_requests_per_client") >= kind.flowRequestCount, "\(context)")
    }

    /// `replay --mode both` confirms a server error that lies behind the login, and its
    /// `crashes/<signature>.sh`, run alone against a fresh server, gets the same status.
    @Test(arguments: ThirdPartyServer.allCases)
    func bothModeConfirmsAServerErrorBehindTheLogin(_ kind: ThirdPartyServer) async throws {
        // Kinto: the first pass sends `If-None-Match: *x` / `If-Match: *x` to every recorded step
        // early, and Kinto answers 500 to them behind its Basic auth (401 anonymous).
        try await confirmServerErrorBehindTheLogin(kind)
    }

    func confirmServerErrorBehindTheLogin(_ kind: ThirdPartyServer) async throws {
        var server = try await RunningServer.start(kind, in: scratch, engine: engine)
        defer { server.stop() }
        let stampede = try workspace("both-\(kind)")
        let recording = try await FlowRecording.record(server, with: stampede)
        let out = stampede.directory + "/out"
        let replay = try await stampede.run(
            "replay-both",
            [
                "replay", "--corpus", recording.corpusDirectory, "--base-url", server.baseURL, "--mode", "both",
                "--clients", "8", "--concurrency", "8", "--duration", "20", "--output", out, "--seed", "5",
                "--request-timeout", ThirdPartyServer.requestTimeout,
                "--triage-time", "60", "--minimize-budget", "120", "--no-fail", "--quiet",
            ], environment: kind.credentials, timeout: .seconds(200))
        #expect(replay.exitStatus == 0, "\(replay.tail(60))")
        let report = try ReplayReport.load(in: out)
        let candidates = report.confirmedServerErrors
        try #require(!candidates.isEmpty, "no confirmed server error with a crash record:\n\(report.findingSummary)\n\(replay.tail(30))")

        // "Run alone": a fresh server (the load changed the old one's state) on the same port.
        server.stop()
        server = try await RunningServer.start(kind, in: scratch, port: server.port, engine: engine)
        var behindLogin: [ConfirmedFinding] = []
        var seen: [String] = []
        for finding in candidates {
            let anonymous = await Reproducer.anonymousStatus(of: finding.minimal, baseURL: server.baseURL, engine: engine)
            seen.append("[\(finding.signature)] \(finding.endpoint) → \(finding.status), without login → \(anonymous)")
            if [401, 403].contains(anonymous) { behindLogin.append(finding) }
        }
        try #require(!behindLogin.isEmpty, "no confirmed server error lies behind the login:\n\(seen.joined(separator: "\n"))")
        var runs: [String] = []
        for finding in behindLogin.prefix(6) {
            guard FileManager.default.fileExists(atPath: finding.reproducer) else {
                runs.append("[\(finding.signature)] no reproducer at \(finding.reproducer)")
                continue
            }
            let run = try await Reproducer.run(finding.reproducer, kind: kind, scratch: stampede.directory)
            if run.status == finding.status { return }
            runs.append("[\(finding.signature)] \(finding.endpoint): expected \(finding.status), .sh got \(run.status.map(String.init) ?? "no status")\n\(run.output)")
        }
        Issue.record("no reproducer of a server error behind the login gets the same status:\n\(runs.joined(separator: "\n"))")
    }
}
