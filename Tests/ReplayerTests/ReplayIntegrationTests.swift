import DemoTarget
import Foundation
import StampedeClient
import StampedeCore
import StampedeTestSupport
import StampedeEngine
import Synchronization
import Testing

@testable import Replayer

/// Real runs against the demo target on loopback through the real libcurl engine.
@Suite(.serialized) struct ReplayIntegrationTests {
    func options(_ baseURL: String, mode: LoadMode, clients: Int, concurrency: Int, duration: Double, seed: UInt64 = 42) throws -> ReplayOptions {
        let load = try LoadConfig.resolve(
            flags: [
                .baseURL: baseURL, .mode: mode.rawValue, .clients: String(clients), .concurrency: String(concurrency),
                .duration: String(duration),
            ], environment: [:])
        return ReplayOptions(
            load: load, corpusPath: "test", seed: seed, runID: "t\(seed)", requestTimeoutMs: 3_000, sseWindowSeconds: 2,
            workers: 2, stopGraceMs: 2_500)
    }

    @Test func userClientsReplayEverySessionInTheirRecordedClass() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        let replay = try Replay(
            options: options(server.baseURL, mode: .user, clients: 6, concurrency: 3, duration: 3), sessions: TestCorpus.sessions)
        #expect(await replay.probe() == nil)
        let report = await replay.run()
        await server.stop()

        let user = try #require(report.modes["user"])
        #expect(user.failures == 0, "user failures: \(report.findings.map { "\($0.endpoint) \($0.failure)" })")
        #expect(user.requests > 50)
        #expect(user.iterations > 5)
        #expect(report.modes["monkey"] == nil)
        #expect(report.clients.active == 6)
        #expect(report.maxInFlight <= 3)
        #expect(report.maxInFlight >= 1)
        #expect(report.totalRequests == report.endpoints.values.reduce(0) { $0 + $1.count })
        #expect(Int(report.timeline.rps.reduce(0, +)) == report.totalRequests)
        #expect(report.endpoints["GET /api/v1/scripts/{id}"] != nil)
        #expect(report.endpoints["POST /api/v1/auth/register"]?.count == 6)
        #expect(report.sse.streams > 0)
        #expect(report.sse.events >= report.sse.streams)
        #expect(report.findings.isEmpty)
        #expect(!report.hasFailures)
    }

    @Test func monkeysFindPlantedServerErrors() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: true))
        let replay = try Replay(
            options: options(server.baseURL, mode: .monkey, clients: 8, concurrency: 4, duration: 4, seed: 7),
            sessions: TestCorpus.sessions)
        let report = await replay.run()
        await server.stop()

        let monkey = try #require(report.modes["monkey"])
        #expect(monkey.requests > 200)
        #expect(monkey.iterations > 100)
        #expect((monkey.statusClasses["4xx"] ?? 0) > 0)
        // Expected 4xx answers are errors in the original's sense but not failures.
        #expect(monkey.errors >= (monkey.statusClasses["4xx"] ?? 0))
        #expect(report.findings.contains { $0.failureClass == .serverError })
        for finding in report.findings {
            #expect(finding.signature.count == 16)
            #expect(finding.example.curl.hasPrefix("curl "))
            #expect(finding.hits >= 1)
        }
        #expect(report.hasFailures)
        #expect(report.maxInFlight <= 4)
    }

    @Test func stopEndsTheRunEarlyWithAReport() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        let replay = try Replay(
            options: options(server.baseURL, mode: .both, clients: 4, concurrency: 2, duration: 60), sessions: TestCorpus.sessions)
        let began = ContinuousClock.now
        let report = await replay.run { progress in
            if progress.elapsed >= 1 { replay.stop() }
        }
        await server.stop()
        #expect(report.interrupted)
        #expect(ContinuousClock.now - began < .seconds(10))
        #expect(report.totalRequests > 0)
    }

    /// A cancelled run ends like `stop()` (it used to spin until its deadline); 300 s of duration
    /// cannot fit the one-minute limit unless cancellation ends it.
    @Test(.timeLimit(.minutes(1))) func cancellingTheTaskEndsTheRunWithAReport() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        let replay = try Replay(
            options: options(server.baseURL, mode: .user, clients: 2, concurrency: 2, duration: 300), sessions: TestCorpus.sessions)
        let ticked = Atomic<Bool>(false)
        let task = Task { await replay.run { _ in ticked.store(true, ordering: .relaxed) } }
        let deadline = ContinuousClock.now + .seconds(20)
        while !ticked.load(ordering: .relaxed), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        task.cancel()
        let report = await task.value
        await server.stop()
        #expect(report.interrupted)
        #expect(report.totalRequests > 0)
    }

    @Test func unreachableTargetIsReportedByTheProbe() async throws {
        let replay = try Replay(
            options: options("http://127.0.0.1:1", mode: .user, clients: 1, concurrency: 1, duration: 1), sessions: TestCorpus.sessions)
        let failure = await replay.probe(timeoutMs: 2_000)
        #expect(failure?.name == "CURLE_COULDNT_CONNECT")
    }
}
