import DemoTarget
import StampedeEngine
import StampedeHTTP
import Testing

@testable import Replayer

/// Monkey garbage that takes a connection out of HTTP on the server's side never reaches a later
/// request: Hummingbird (the demo target's server) answers `Upgrade: websocket` with a plain 200 and
/// then stops parsing requests on that connection, so a request that reused it would hang.
@Suite struct MonkeyConnectionTests {
    @Test func connectAndUpgradeMayLeaveHTTP() {
        let url = "http://127.0.0.1:1/x"
        #expect(VirtualClient.mayLeaveHTTP(EngineRequest(method: "CONNECT", url: url)))
        #expect(VirtualClient.mayLeaveHTTP(EngineRequest(method: "connect", url: url)))
        #expect(VirtualClient.mayLeaveHTTP(EngineRequest(url: url, headers: [HTTPHeader("upgrade", "websocket")])))
        #expect(!VirtualClient.mayLeaveHTTP(EngineRequest(method: "POST", url: url, headers: [HTTPHeader("Connection", "close")])))
    }

    @Test func aRequestAfterAnUpgradeGetsAFreshConnection() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        let engine = try HTTPEngine(configuration: .init(workers: 1))
        let url = server.baseURL + "/api/v1/health/live"
        let upgrade = EngineRequest(url: url, headers: [HTTPHeader("Connection", "Upgrade"), HTTPHeader("Upgrade", "websocket")], timeoutMs: 2_000)
        // The premise: on the reused connection, the request after the upgrade is never answered.
        let ignored = await engine.send(upgrade)
        let stuck = await engine.send(EngineRequest(url: url, timeoutMs: 1_000))
        // An upgrade that closes its connection leaves the next request a fresh one.
        var closing = upgrade
        closing.closesConnection = VirtualClient.mayLeaveHTTP(closing)
        let answered = await engine.send(closing)
        let next = await engine.send(EngineRequest(url: url, timeoutMs: 2_000))
        engine.shutdown()
        await server.stop()

        #expect(ignored.status == 200 && answered.status == 200)
        #expect(stuck.failure?.isTimeout == true && stuck.newConnections == 0, "\(stuck.status) \(stuck.failure?.name ?? "")")
        #expect(next.status == 200 && next.newConnections == 1, "\(next.status) \(next.failure?.name ?? "")")
    }
}
