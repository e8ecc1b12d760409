import Foundation
import StampedeEngine
import StampedeHTTP
import Testing

@Suite("Request guard: requests go only to the base URL's origin")
struct RequestGuardTests {
    /// The reproduction: `@127.0.0.2:PORT/x` appended to the base URL. Without an allowed
    /// origin the request reaches the second listener; with one it is refused and never sent.
    @Test func userinfoPathCannotReachAnotherHost() async throws {
        let target = try TestServer()
        let other = try TestServer(host: "127.0.0.2")
        defer { target.stop(); other.stop() }
        let escaping = HTTPRequest(url: target.baseURL + "@127.0.0.2:\(other.port)/x", timeoutMs: 5_000)

        let open = try HTTPEngine(configuration: .init(workers: 1))
        let escaped = await open.send(escaping)
        open.shutdown()
        #expect(escaped.failure == nil)
        #expect(other.requestCount == 1)  // the defect, reproduced without the guard

        let guarded = try HTTPEngine(configuration: .init(workers: 1, allowedOrigin: target.baseURL))
        defer { guarded.shutdown() }
        let refused = await guarded.send(escaping)
        #expect(refused.failure?.isRefused == true)
        #expect(refused.failure?.name == "CURLE_URL_MALFORMAT")
        #expect(refused.failure?.message.contains("127.0.0.2") == true)
        #expect(refused.status == 0)
        let allowed = await guarded.send(HTTPRequest(url: target.baseURL + "/echo", timeoutMs: 5_000))
        #expect(allowed.status == 200)
        #expect(other.requestCount == 1)
        #expect(other.acceptedConnections == 1)
        #expect(target.requestCount == 1)
    }

    @Test(arguments: ["http://127.0.0.2:PORT/x", "http://127.0.0.1:1/x", "https://127.0.0.1:PORT/x", "http://u:p@127.0.0.1:PORT/x", "not a url"])
    func anotherOriginIsRefused(template: String) async throws {
        let target = try TestServer()
        let engine = try HTTPEngine(configuration: .init(workers: 1, allowedOrigin: target.baseURL + "/"))
        defer { engine.shutdown(); target.stop() }
        let url = template.replacingOccurrences(of: "PORT", with: String(target.port))
        let response = await engine.send(HTTPRequest(url: url, timeoutMs: 5_000))
        #expect(response.failure?.isRefused == true)
        #expect(engine.refusal(for: HTTPRequest(url: url)) != nil)
        #expect(target.acceptedConnections == 0)
    }

    @Test func anUnparsableAllowedOriginStopsTheEngine() {
        #expect(throws: EngineError.self) { try HTTPEngine(configuration: .init(workers: 1, allowedOrigin: "::nonsense")) }
    }
}
