import DemoTarget
import Recorder
import StampedeClient
import StampedeCore
import StampedeEngine
import Testing

@Suite("Demo flow recording and replay")
struct DemoFlowTests {
    @Test("the recorded demo flows replay for 10 fresh clients at once, every step in its recorded status class")
    func recordedFlowsReplayConcurrently() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        let engine = try HTTPEngine(configuration: EngineConfiguration(workers: 2))
        defer { engine.shutdown() }
        let sessions = try await DemoFlow.record(baseURL: server.baseURL, engine: engine)
        #expect(sessions.count == DemoFlow.Flow.allCases.count)
        for session in sessions {
            #expect(session.unresolvedVariables().isEmpty, "session \(session.id): \(session.unresolvedVariables())")
        }
        let outcomes = await ReplayHelpers.replay(sessions, clients: 10, baseURL: server.baseURL, engine: engine)
        let failures = outcomes.flatMap { outcome in
            outcome.steps.filter { !$0.matched }.map { "\(outcome.sessionID) step \($0.index + 1) \($0.endpoint): \($0.explanation)" }
        }
        #expect(failures.isEmpty, "\(failures)")
        #expect(outcomes.count == sessions.count * 10)
        await server.stop()
    }
}

enum ReplayHelpers {
    /// Every session replayed by `clients` fresh clients, all at once.
    static func replay(_ sessions: [Session], clients: Int, baseURL: String, engine: HTTPEngine) async -> [SessionOutcome] {
        let runner = StepClient(engine: engine, renderer: StepRenderer(baseURL: baseURL, requestTimeoutMs: 30_000))
        let run = ClientIdentity.randomRunID()
        return await withTaskGroup(of: [SessionOutcome].self) { group in
            for client in 0..<clients {
                group.addTask {
                    var outcomes: [SessionOutcome] = []
                    for (index, session) in sessions.enumerated() {
                        let identity = ClientIdentity(index: client * 100 + index, runID: run)
                        var state = ClientState(identity: identity)
                        outcomes.append(await runner.run(session, state: &state))
                    }
                    return outcomes
                }
            }
            var all: [SessionOutcome] = []
            for await outcomes in group { all += outcomes }
            return all
        }
    }
}
