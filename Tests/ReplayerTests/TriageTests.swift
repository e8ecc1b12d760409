import DemoTarget
import Foundation
import Mutator
import StampedeClient
import StampedeCore
import StampedeEngine
import StampedeHTTP
import Testing

@testable import Replayer

/// Confirmation and minimization of single findings against the demo target, through the real engine.
@Suite(.serialized) struct TriageTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func demoSessions() throws -> [Session] {
        try Corpus.load(path: repoRoot.appendingPathComponent("corpora/demo/baseline.corpus").path).sessions
    }

    struct Setup {
        let triage: Triage
        let sessions: [Session]
        let engine: HTTPEngine
    }

    static func setup(_ baseURL: String, budget: Int = 200, crashDirectory: String? = nil, timeLimit: Double = 120) throws -> Setup {
        let sessions = try demoSessions()
        let load = try LoadConfig.resolve(flags: [.baseURL: baseURL, .mode: "monkey"], environment: [:])
        let options = ReplayOptions(
            load: load, corpusPath: "test", seed: 5, runID: "tri\(UInt32.random(in: 0...UInt32.max))",
            requestTimeoutMs: 2_000, workers: 1,
            triage: TriageOptions(budget: budget, crashDirectory: crashDirectory, timeLimitSeconds: timeLimit))
        let renderer = StepRenderer(baseURL: baseURL, requestTimeoutMs: 2_000)
        let plan = ReplayPlan(sessions: sessions, autoRegister: true, renderer: renderer)
        let engine = try HTTPEngine(configuration: EngineConfiguration(workers: 1))
        let triage = Triage(options: options, plan: plan, renderer: renderer, engine: engine, mutator: nil)
        return Setup(triage: triage, sessions: sessions, engine: engine)
    }

    static func location(_ sessions: [Session], method: String, path: String) throws -> (Int, Int) {
        for (s, session) in sessions.enumerated() {
            if let k = session.steps.firstIndex(where: { $0.request.method == method && $0.request.path == path }) { return (s, k) }
        }
        throw CancellationError()
    }

    static func finding(signature: String = "raw", _ failureClass: FailureClass, failure: String, fingerprint: String, method: String, endpoint: String) -> Finding {
        let example = FindingExample(
            session: "s", stepIndex: 0, seed: nil, operations: [], request: RequestTemplate(method: method, path: "/"), url: "",
            curl: "", status: 0, responseExcerpt: "")
        return Finding(
            signature: signature, failureClass: failureClass, failure: failure, method: method, endpoint: endpoint,
            source: .monkey, hits: 3, firstSeen: "2026-01-01T00:00:00Z", lastSeen: "2026-01-01T00:00:01Z",
            firstSeenOffset: 1, fingerprint: fingerprint, example: example, confirmed: nil, reproduceRate: nil,
            minimized: false, minimal: nil)
    }

    @Test func longIdOnPutShrinksToGetWith65Characters() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: true))
        let setup = try Self.setup(server.baseURL)
        let (s, k) = try Self.location(setup.sessions, method: "PUT", path: "/api/v1/scripts/{{script_id}}")
        var request = setup.sessions[s].steps[k].request
        request.path = "/api/v1/scripts/" + String(repeating: "a", count: 1000)
        request.headers.append(HTTPHeader("X-Fuzz", "zzz"))
        let seed = TriageSeed(sessionIndex: s, stepIndex: k, mutantSeed: 1, operations: [], request: MutatedRequest(request: request))
        let raw = Self.finding(
            .serverError, failure: "500", fingerprint: FailureSignature.fingerprint(Array("Internal Server Error".utf8)),
            method: "PUT", endpoint: "PUT /api/v1/scripts/{id} [mutated]")
        let result = await setup.triage.triage(raw, seed: seed)
        setup.engine.shutdown()
        await server.stop()
        #expect(result.confirmed == true)
        #expect(result.reproduceRate == 1)
        #expect(result.minimized)
        let minimal = try #require(result.crashRecord?.steps.last?.request)
        #expect(minimal.method == "GET", "\(minimal)")
        #expect(minimal.path == "/api/v1/scripts/" + String(repeating: "a", count: 65))
        #expect(minimal.headers.isEmpty && minimal.query.isEmpty && minimal.body == nil)
        #expect(result.endpoint == "GET /api/v1/scripts/{id}")
        #expect(result.rawSignatures == ["raw"])
    }
}

extension TriageTests {
    @Test func contextHoldsIdentityAndTheStepsBindingTheRequestsVariables() throws {
        let setup = try Self.setup("http://127.0.0.1:1")
        defer { setup.engine.shutdown() }
        let (s, k) = try Self.location(setup.sessions, method: "GET", path: "/api/v1/executions/{{execution_id}}/events")
        let request = MutatedRequest(request: setup.sessions[s].steps[k].request)
        let seed = TriageSeed(sessionIndex: s, stepIndex: k, mutantSeed: nil, operations: [], request: request)
        let context = setup.triage.context(for: seed, request: request, withIdentity: true)
        #expect(context.map(\.request.method) == ["POST", "POST", "POST"])
        #expect(context.map(\.request.path) == ["/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/execute"])
        // Without the variable, only the identity steps; without identity, only the binder.
        var plain = request
        plain.request.path = "/api/v1/executions/x/events"
        #expect(setup.triage.context(for: seed, request: plain, withIdentity: true).count == 2)
        #expect(setup.triage.context(for: seed, request: request, withIdentity: false).map(\.request.path) == ["/api/v1/execute"])
    }

    @Test func aRequestThatDoesNotFailIsNotConfirmed() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        let setup = try Self.setup(server.baseURL)
        let (s, k) = try Self.location(setup.sessions, method: "GET", path: "/api/v1/notifications")
        var request = setup.sessions[s].steps[k].request
        request.query = [QueryItem("limit", "-5")]
        let seed = TriageSeed(sessionIndex: s, stepIndex: k, mutantSeed: 3, operations: [], request: MutatedRequest(request: request))
        let raw = Self.finding(.serverError, failure: "500", fingerprint: "Internal Server Error", method: "GET", endpoint: "GET /api/v1/notifications")
        let result = await setup.triage.triage(raw, seed: seed)
        setup.engine.shutdown()
        await server.stop()
        #expect(result.confirmed == false)
        #expect(result.reproduceRate == 0)
        #expect(result.crashRecord == nil && result.minimal == nil)
        #expect(result.signature == "raw")
    }
}

extension TriageTests {
    @Test func pastTheTimeLimitFindingsAreReportedAsSeen() async throws {
        let setup = try Self.setup("http://127.0.0.1:1", timeLimit: 0)
        defer { setup.engine.shutdown() }
        let (s, k) = try Self.location(setup.sessions, method: "GET", path: "/api/v1/notifications")
        let seed = TriageSeed(
            sessionIndex: s, stepIndex: k, mutantSeed: 1, operations: [],
            request: MutatedRequest(request: setup.sessions[s].steps[k].request))
        let raw = Self.finding(.serverError, failure: "500", fingerprint: "x", method: "GET", endpoint: "GET /api/v1/notifications")
        let result = await setup.triage.run(findings: [raw], seeds: ["raw": seed])
        #expect(result.count == 1)
        #expect(result.first?.confirmed == nil && result.first?.minimized == false)
        #expect(setup.triage.timedOut)
    }
}
