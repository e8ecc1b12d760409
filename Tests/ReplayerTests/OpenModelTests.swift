import DemoTarget
import StampedeCore
import Testing

@testable import Replayer

/// The open model measures latency from the scheduled send, so a server stall shows in its p99;
/// the closed model's clients wait out the stall and send less, so its p99 hides it.
///
/// The demo target stalls 1 s in every 3 s cycle (seconds 2–3 after its start); each run lasts
/// 3.5 s against its own fresh server, so exactly one stall falls inside it. Bounded: the open
/// run sends at most 200 × 3.5 requests, the closed run has one client.
@Suite(.serialized) struct OpenModelTests {
    static let stall = DemoStall(every: .seconds(3), pause: .seconds(1))

    static var sessions: [Session] {
        let step = Step(
            request: RequestTemplate(method: "GET", path: "/api/v1/health/live"), expect: Expectation(status: 200),
            endpoint: "GET /api/v1/health/live")
        return [Session(id: "live", steps: [step])]
    }

    func run(rate: Double?, clients: Int) async throws -> ReplayReport {
        let server = try await DemoServer.start(DemoServerOptions(defects: false, stall: Self.stall))
        let load = try LoadConfig.resolve(
            flags: [
                .baseURL: server.baseURL, .mode: LoadMode.user.rawValue, .clients: String(clients),
                .concurrency: String(clients), .duration: "3.5", .autoRegister: "false",
            ], environment: [:])
        let options = ReplayOptions(
            load: load, corpusPath: "test", seed: 7, runID: "open\(clients)", rate: rate, requestTimeoutMs: 5_000,
            workers: 1, stopGraceMs: 2_000)
        let replay = try Replay(options: options, sessions: Self.sessions)
        let report = await replay.run()
        await server.stop()
        return report
    }

    @Test func openModelP99IncludesTheStallClosedModelP99DoesNot() async throws {
        let open = try await run(rate: 200, clients: 20)
        let openLatency = try #require(open.latency)
        #expect(open.totalRequests > 0 && open.totalRequests <= 710)
        #expect(openLatency.measuredFrom == .scheduledSend)
        // Requests due during the stall wait for it: measured from their slot, they are late.
        #expect(openLatency.latencyMs.p99 >= 500, "open p99 \(openLatency.latencyMs.p99) ms")
        #expect((openLatency.startDelayMs?.max ?? 0) >= 500)
        #expect(openLatency.lateStarts > 0)
        let warning = try #require(openLatency.behindScheduleWarning)
        #expect(warning.contains("fell behind its schedule"))
        #expect(open.notes.contains(warning))

        let closed = try await run(rate: nil, clients: 1)
        let closedLatency = try #require(closed.latency)
        #expect(closedLatency.measuredFrom == .send)
        // The one request caught in the stall took it all, but it is one of hundreds, so p99 hides
        // it. (On a machine so loaded that the client sent fewer than 200 requests, that one
        // request is over 0.5 % of them and the percentile says nothing either way.)
        #expect(closedLatency.latencyMs.max >= 500, "closed max \(closedLatency.latencyMs.max) ms")
        if closed.totalRequests >= 200 {
            #expect(closedLatency.latencyMs.p99 < 500, "closed p99 \(closedLatency.latencyMs.p99) ms of \(closed.totalRequests)")
        }
        #expect(closedLatency.behindScheduleWarning == nil)
        #expect(closed.totalErrors == 0 && open.totalErrors == 0)
    }

    @Test func stallWindowSitsAtTheEndOfEachPeriod() {
        let stall = DemoStall()  // 1 s every 5 s
        #expect(stall.wait(at: .milliseconds(3_999)) == .zero)
        #expect(stall.wait(at: .milliseconds(4_000)) == .seconds(1))
        #expect(stall.wait(at: .milliseconds(4_750)) == .milliseconds(250))
        #expect(stall.wait(at: .milliseconds(5_000)) == .zero)
        #expect(stall.wait(at: .milliseconds(9_500)) == .milliseconds(500))
        #expect(DemoStall(every: .seconds(1), pause: .zero).wait(at: .milliseconds(900)) == .zero)
    }
}
