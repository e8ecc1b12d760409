import DemoTarget
import Foundation
import Recorder
import StampedeCore
import StampedeEngine
import Testing

@Suite("Shipped demo corpus")
struct BaselineCorpusTests {
    static var path: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("corpora/demo/baseline.corpus").path
    }

    @Test("corpora/demo/baseline.corpus reads cleanly, defines every variable it uses, and replays for 10 clients at once")
    func baselineReplays() async throws {
        let corpus = try Corpus.load(path: Self.path)
        #expect(corpus.damages.isEmpty)
        #expect(corpus.header?.name == "demo")
        #expect(corpus.sessions.count == DemoFlow.Flow.allCases.count)
        for session in corpus.sessions {
            #expect(session.unresolvedVariables().isEmpty, "\(session.id)")
            #expect(session.steps.allSatisfy { $0.expect != nil && $0.endpoint != nil })
        }
        let steps = corpus.sessions.flatMap(\.steps)
        #expect(steps.contains { $0.stream != nil } && steps.contains { $0.poll != nil })
        #expect(steps.filter { $0.role == .register }.count == 5 && steps.filter { $0.role == .login }.count == 5)

        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        let engine = try HTTPEngine(configuration: EngineConfiguration(workers: 2))
        defer { engine.shutdown() }
        let outcomes = await ReplayHelpers.replay(corpus.sessions, clients: 10, baseURL: server.baseURL, engine: engine)
        #expect(outcomes.count == corpus.sessions.count * 10)
        #expect(failures(outcomes).isEmpty, "\(failures(outcomes))")
        await server.stop()
    }
}
