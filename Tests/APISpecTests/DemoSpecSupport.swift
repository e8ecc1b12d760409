import APISpec
import DemoTarget
import Foundation
import Replayer
import StampedeCore
import StampedeEngine

/// The demo target's spec and shipped corpus, fetched and read the way the CLI does.
enum DemoSpec {
    static var corpusPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("corpora/demo/baseline.corpus").path
    }

    static func corpus() throws -> [Session] {
        try Corpus.load(path: corpusPath).sessions
    }

    /// The spec `server` serves at `/openapi.json`, fetched over the engine.
    static func spec(from server: DemoServer) async throws -> APISpecification {
        let engine = try SpecFetcher.makeEngine()
        defer { engine.shutdown() }
        return try APISpecification(document: await SpecFetcher(engine: engine).fetch(server.baseURL + "/openapi.json"))
    }

    /// Replay options for a short monkey run with the spec bound to the corpus.
    static func options(
        _ baseURL: String, spec: APISpecification, sessions: [Session], checks: Set<ConformanceCheck> = ConformanceCheck.defaults,
        clients: Int = 8, duration: Double = 8, seed: UInt64 = 16
    ) throws -> ReplayOptions {
        let load = try LoadConfig.resolve(
            flags: [.baseURL: baseURL, .mode: "monkey", .clients: String(clients), .concurrency: "4", .duration: String(duration)],
            environment: [:])
        var options = ReplayOptions(
            load: load, corpusPath: corpusPath, seed: seed, runID: "spec\(seed)", requestTimeoutMs: 3_000, sseWindowSeconds: 1,
            workers: 2, stopGraceMs: 2_500, triage: TriageOptions(budget: 120, timeLimitSeconds: 60))
        options.spec = SpecRun(
            spec: spec, sessions: sessions, apiPrefix: load.apiPrefix, checks: checks, validator: SpecValidation.validator)
        return options
    }
}
