import Foundation
import Hummingbird
import NIOCore
import StampedeTestSupport
import Synchronization

/// A small third-party-shaped API for the client core's tests, on 127.0.0.1:
///
/// - `GET /login` sets a fresh per-form `_xsrf` cookie.
/// - `POST /login` (form `_xsrf=…&user=…`) needs that cookie echoed in the body, else 403; sets `sid`.
/// - `GET /api/me` needs a live `sid`, else 403; every session dies after `sessionRequests` uses.
/// - `GET /api/forbidden` is always 403 (recorded that way).
/// - `GET /api/basic` needs `Authorization: Basic dXNlcjpwYXNz` ("user:pass"), else 401.
/// - `/echo/…` answers 200 and keeps the request (method, target, headers, body) for comparison.
/// - `GET /weird` answers status 940.
final class AuthServer: Sendable {
    static let basic = "Basic dXNlcjpwYXNz"

    struct Seen: Sendable, Equatable {
        var method: String
        var target: String
        var headers: [String: String]
        var body: String
    }

    struct State {
        var forms: Set<String> = []
        var sessions: [String: Int] = [:]
        var logins = 0
        var rejectedLogins = 0
        var targets: [String] = []
        var echoes: [Seen] = []
    }

    let baseURL: String
    private let server: LoopbackServer
    private let box: StateBox

    var logins: Int { box.state.withLock { $0.logins } }
    var rejectedLogins: Int { box.state.withLock { $0.rejectedLogins } }
    /// Every request target the server received.
    var targets: [String] { box.state.withLock { $0.targets } }
    var echoes: [Seen] { box.state.withLock { $0.echoes } }

    private init(server: LoopbackServer, box: StateBox) {
        self.baseURL = server.baseURL
        self.server = server
        self.box = box
    }

    static func start(sessionRequests: Int = .max) async throws -> AuthServer {
        let box = StateBox(sessionRequests: sessionRequests)
        let router = Router()
        router.middlewares.add(box)
        router.get("login") { _, _ in box.form() }
        router.post("login") { request, _ in try await box.login(request) }
        router.get("api/me") { request, _ in box.me(request) }
        router.get("api/forbidden") { _, _ in Response(status: .forbidden) }
        router.get("api/basic") { request, _ in
            Response(status: request.headers[.authorization] == basic ? .ok : .unauthorized)
        }
        router.get("weird") { _, _ in Response(status: .init(code: 940)) }
        router.on("echo/**", method: .post) { request, _ in try await box.echo(request) }
        router.on("echo/**", method: .get) { request, _ in try await box.echo(request) }
        return AuthServer(server: await LoopbackServer.start(router, label: "test.auth"), box: box)
    }

    func stop() async {
        await server.stop()
    }
}

/// The server's handlers over its shared state.
private final class StateBox: RouterMiddleware, Sendable {
    typealias Context = BasicRequestContext
    let state = Mutex(AuthServer.State())
    let sessionRequests: Int

    init(sessionRequests: Int) {
        self.sessionRequests = sessionRequests
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        state.withLock { $0.targets.append(request.uri.description) }
        return try await next(request, context)
    }

    static func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0] == name { return String(pair[1]) }
            }
        }
        return nil
    }

    func form() -> Response {
        let token = String(UInt64.random(in: 1...UInt64.max), radix: 36)
        state.withLock { _ = $0.forms.insert(token) }
        return Response(status: .ok, headers: [.setCookie: "_xsrf=\(token); Path=/"])
    }

    func login(_ request: Request) async throws -> Response {
        let body = String(buffer: try await request.body.collect(upTo: 10_000))
        let fields = Dictionary(
            body.split(separator: "&").map { $0.split(separator: "=", maxSplits: 1).map(String.init) }.filter { $0.count == 2 }
                .map { ($0[0], $0[1]) }, uniquingKeysWith: { a, _ in a })
        let cookie = Self.cookie("_xsrf", in: request)
        let sid = String(UInt64.random(in: 1...UInt64.max), radix: 36)
        let ok = state.withLock { s -> Bool in
            guard let cookie, fields["_xsrf"] == cookie, s.forms.remove(cookie) != nil else {
                s.rejectedLogins += 1
                return false
            }
            s.logins += 1
            s.sessions[sid] = 0
            return true
        }
        guard ok else { return Response(status: .forbidden) }
        return Response(status: .found, headers: [.setCookie: "sid=\(sid); Path=/", .location: "/"])
    }

    func me(_ request: Request) -> Response {
        let sid = Self.cookie("sid", in: request) ?? ""
        let live = state.withLock { s -> Bool in
            guard let uses = s.sessions[sid], uses < sessionRequests else { return false }
            s.sessions[sid] = uses + 1
            return true
        }
        return Response(status: live ? .ok : .forbidden)
    }

    func echo(_ request: Request) async throws -> Response {
        let body = String(buffer: try await request.body.collect(upTo: 100_000))
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let seen = AuthServer.Seen(method: request.method.rawValue, target: request.uri.description, headers: headers, body: body)
        state.withLock { $0.echoes.append(seen) }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"ok":true}"#)))
    }
}
