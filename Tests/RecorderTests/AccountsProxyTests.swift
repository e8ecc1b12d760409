import Correlation
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Recorder
import ServiceLifecycle
import StampedeCore
import StampedeEngine
import StampedeHTTP
import StampedeTestSupport
import Synchronization
import Testing

@Suite("Recording proxy on a Basic-auth accounts API")
struct AccountsProxyTests {
    @Test("GET / → /v2/ stays a constant, the sign-up becomes vu.*, Basic becomes vu.basic, the project name gets vu.tag; 4 clients replay")
    func signUpAndProjects() async throws {
        let upstream = try await AccountsUpstream.start()
        let client = try HTTPEngine(configuration: EngineConfiguration(workers: 1))
        let engine = try HTTPEngine(configuration: EngineConfiguration(workers: 2))
        defer {
            client.shutdown()
            engine.shutdown()
        }
        let path = temporaryPath("accounts.corpus")
        let recorder = try CorpusRecorder(
            path: path, header: CorpusHeader(baseURL: upstream.baseURL, name: "accounts"), options: RecordingOptions(groupAnonymousByHost: true))
        let proxy = try await RecordingProxy.start(target: upstream.baseURL, recorder: recorder, engine: engine)
        let auth = [HTTPHeader("Authorization", "Basic " + Base64.encode(Array("alice:s3cret-pw".utf8)))]
        let json = [HTTPHeader("Content-Type", "application/json")]
        let requests: [(String, String, [HTTPHeader], String)] = [
            ("GET", "/", [], ""),
            ("GET", "/v2/", [], ""),
            ("PUT", "/v2/accounts/alice", json, #"{"data":{"password":"s3cret-pw"}}"#),
            ("PUT", "/v2/projects/alpha", auth + json, #"{"data":{}}"#),
            ("GET", "/v2/projects/alpha", auth, ""),
        ]
        for (method, target, headers, body) in requests {
            let response = await client.send(EngineRequest(method: method, url: proxy.baseURL + target, headers: headers, body: Array(body.utf8), timeoutMs: 10_000))
            #expect((200..<400).contains(response.status), "\(method) \(target): \(response.status)")
        }
        try recorder.flushAll()
        await proxy.stop()

        let session = try #require(try Corpus.load(path: path).sessions.first)
        let steps = session.steps.map { "\($0.request.method) \($0.request.path)" }
        #expect(steps == ["GET /", "GET /v2/", "PUT /v2/accounts/{{vu.username}}", "PUT /v2/projects/alpha-{{vu.tag}}", "GET /v2/projects/alpha-{{vu.tag}}"])
        #expect(session.steps[2].role == .register)
        #expect(session.steps[3].request.header("Authorization") == "Basic {{vu.basic}}")
        #expect(session.steps.allSatisfy { $0.extract.isEmpty })
        #expect(!(try corpusText(path)).contains("s3cret-pw"))

        // Each client signs up its own account and creates its own project: no 412 between them.
        let outcomes = await ReplayHelpers.replay([session], clients: 4, baseURL: upstream.baseURL, engine: engine)
        #expect(outcomes.count == 4)
        #expect(failures(outcomes).isEmpty, "\(failures(outcomes))")
        #expect(upstream.store.value.withLock { $0.projects.count } == 5)
        await upstream.stop()
    }
}

/// A small accounts API in the style of Kinto: sign-up by `PUT /v2/accounts/NAME`, then HTTP
/// Basic auth; `PUT /v2/projects/NAME` creates (412 when it exists), `GET` reads it.
struct AccountsUpstream {
    struct Store {
        var accounts: [String: String] = [:]
        var projects: Set<String> = []
    }

    let server: LoopbackServer
    let store: SharedStore

    static func start() async throws -> AccountsUpstream {
        let store = SharedStore()
        let router = Router()
        router.get("/") { _, _ in Response(status: .found, headers: [.location: "/v2/"]) }
        router.get("/v2/") { _, _ in Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"v":2}"#))) }
        router.put("/v2/accounts/:name") { request, context -> Response in
            let name = context.parameters.get("name") ?? ""
            let body = try await request.body.collect(upTo: 65_536)
            guard let value = try? JSONParser().parse(Array(buffer: body)), let password = value[pointer: "/data/password"]?.stringValue else {
                return Response(status: .badRequest)
            }
            let created = store.value.withLock { $0.accounts.updateValue(password, forKey: name) == nil }
            return Response(status: created ? .created : .ok)
        }
        router.put("/v2/projects/:name") { request, context -> Response in
            guard store.authorized(request) else { return Response(status: .unauthorized) }
            let name = context.parameters.get("name") ?? ""
            let created = store.value.withLock { $0.projects.insert(name).inserted }
            return Response(status: created ? .created : .preconditionFailed)
        }
        router.get("/v2/projects/:name") { request, context -> Response in
            guard store.authorized(request) else { return Response(status: .unauthorized) }
            let name = context.parameters.get("name") ?? ""
            return Response(status: store.value.withLock { $0.projects.contains(name) } ? .ok : .notFound)
        }
        return AccountsUpstream(server: await LoopbackServer.start(router, label: "test.accounts"), store: store)
    }

    var baseURL: String { server.baseURL }

    func stop() async { await server.stop() }
}

/// The upstream's state, shared by its handlers.
final class SharedStore: Sendable {
    let value = Mutex(AccountsUpstream.Store())

    /// Whether the request carries Basic credentials of a signed-up account.
    func authorized(_ request: Request) -> Bool {
        guard let header = request.headers[.authorization], header.hasPrefix("Basic "),
            let bytes = Base64.decode(String(header.dropFirst(6))), let text = String(validating: bytes, as: UTF8.self),
            let colon = text.firstIndex(of: ":")
        else { return false }
        let user = String(text[..<colon]), password = String(text[text.index(after: colon)...])
        return value.withLock { $0.accounts[user] == password }
    }
}
