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
        let escaping = EngineRequest(url: target.baseURL + "@127.0.0.2:\(other.port)/x", timeoutMs: 5_000)

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
        let allowed = await guarded.send(EngineRequest(url: target.baseURL + "/echo", timeoutMs: 5_000))
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
        let response = await engine.send(EngineRequest(url: url, timeoutMs: 5_000))
        #expect(response.failure?.isRefused == true)
        #expect(engine.refusal(for: EngineRequest(url: url)) != nil)
        #expect(target.acceptedConnections == 0)
    }

    /// URLs that begin with the base URL's text but land elsewhere (or do not parse) are still judged by
    /// libcurl's parse: the verbatim-origin shortcut takes only `ORIGIN`, `ORIGIN/…` and `ORIGIN?…`.
    @Test(arguments: [
        ("PREFIX/x", true), ("PREFIX", true), ("PREFIX?a=1", true), ("PREFIX/a@127.0.0.2:1/x", true),
        ("PREFIX@127.0.0.2:1/x", false), ("PREFIX0/x", false), ("PREFIX.evil/x", false), ("PREFIX#@127.0.0.2/x", true),
        ("PREFIX:1/x", false), ("PREFIX\\@127.0.0.2/x", false),
    ])
    func urlsThatStartWithTheOriginTextAreJudgedByWhereTheyLand(template: String, allowed: Bool) throws {
        let engine = try HTTPEngine(configuration: .init(workers: 1, allowedOrigin: "http://127.0.0.1:8080/api"))
        defer { engine.shutdown() }
        let url = template.replacingOccurrences(of: "PREFIX", with: "http://127.0.0.1:8080")
        #expect((engine.refusal(for: EngineRequest(url: url)) == nil) == allowed, "\(url)")
    }

    @Test func anUnparsableAllowedOriginStopsTheEngine() {
        #expect(throws: EngineError.self) { try HTTPEngine(configuration: .init(workers: 1, allowedOrigin: "::nonsense")) }
    }
}

@Suite("Request guard: no corpus field or mutant adds a line to the request")
struct HeaderInjectionTests {
    static let vectors: [(label: String, request: @Sendable (String) -> EngineRequest)] = [
        ("value CRLF", { EngineRequest(url: $0 + "/echo", headers: [HTTPHeader("X-A", "a\r\nInjected: 1")]) }),
        ("value LF", { EngineRequest(url: $0 + "/echo", headers: [HTTPHeader("X-A", "a\nInjected: 1")]) }),
        ("value CR", { EngineRequest(url: $0 + "/echo", headers: [HTTPHeader("X-A", "a\rInjected: 1")]) }),
        ("value NUL", { EngineRequest(url: $0 + "/echo", headers: [HTTPHeader("X-A", "a\u{0}Injected: 1")]) }),
        ("name CRLF", { EngineRequest(url: $0 + "/echo", headers: [HTTPHeader("X\r\nInjected", "1")]) }),
        ("name space", { EngineRequest(url: $0 + "/echo", headers: [HTTPHeader("X Injected", "1")]) }),
        ("method CRLF", { EngineRequest(method: "GET /x HTTP/1.1\r\nInjected: 1\r\nX:", url: $0 + "/echo") }),
        ("method tab", { EngineRequest(method: "GET\tInjected", url: $0 + "/echo") }),
        ("method empty", { EngineRequest(method: "", url: $0 + "/echo") }),
    ]

    @Test(arguments: 0..<vectors.count)
    func injectionIsRefusedBeforeTheWire(index: Int) async throws {
        let server = try TestServer()
        let engine = try HTTPEngine(configuration: .init(workers: 1))
        defer { engine.shutdown(); server.stop() }
        let vector = Self.vectors[index]
        let refused = await engine.send(vector.request(server.baseURL))
        #expect(refused.failure?.isRefused == true, "\(vector.label)")
        #expect(refused.failure?.name == "CURLE_BAD_FUNCTION_ARGUMENT")
        // A clean request afterwards arrives; the raw bytes on the wire hold no injected line.
        let clean = await engine.send(EngineRequest(url: server.baseURL + "/echo", headers: [HTTPHeader("X-A", "a b")], timeoutMs: 5_000))
        #expect(clean.status == 200)
        let wire = String(decoding: server.receivedBytes, as: UTF8.self)
        #expect(wire.hasPrefix("GET /echo HTTP/1.1\r\n"))
        #expect(!wire.contains("Injected"))
        #expect(server.requestCount == 1)
    }
}
