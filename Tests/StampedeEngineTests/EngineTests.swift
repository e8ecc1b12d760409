import StampedeCore
import StampedeEngine
import Testing

@Suite("HTTPEngine against a loopback server")
struct EngineTests {
    @Test func getEchoes() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let engine = try HTTPEngine(configuration: .init(workers: 2))
        defer { engine.shutdown() }
        let response = await engine.send(HTTPRequest(method: "GET", url: server.baseURL + "/echo/hello?x=1"))
        #expect(response.failure == nil)
        #expect(response.status == 200)
        #expect(response.header("x-method") == "GET")
        #expect(response.bodyText.hasPrefix("GET /echo/hello?x=1\n"))
        #expect(response.bodyBytes == response.body.count)
        #expect(response.newConnections == 1)
        #expect(response.timings.totalUs > 0)
    }
}
