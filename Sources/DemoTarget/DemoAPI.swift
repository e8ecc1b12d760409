import Foundation
import Hummingbird
import Logging

/// The demo backend's HTTP responder: routes `/api/v1/...` by hand so unknown paths are 404,
/// known paths with the wrong method are 405, and every error is shaped like FastAPI's.
struct DemoAPI: HTTPResponder {
    typealias Context = DemoRequestContext

    static let prefix = "/api/v1"

    /// The routes of the API, with the path parameters they carry.
    enum Route {
        case register, login, logout, me, execute
        case executionResult(String), executionEvents(String), executionStream(String)
        case scripts, script(String)
        case settings, theme
        case notifications, markAllRead
        case grafana, live, version

        var methods: [HTTPRequest.Method] {
            switch self {
            case .register, .login, .logout, .execute, .markAllRead, .grafana: [.post]
            case .me, .executionResult, .executionEvents, .executionStream, .settings, .notifications, .live, .version: [.get]
            case .scripts: [.get, .post]
            case .script: [.get, .put, .delete]
            case .theme: [.put]
            }
        }
    }

    let store: DemoStore
    let simulator: ExecutionSimulator
    let defects: PlantedDefects.Switch
    let stop: StopSignal
    let logger: Logger
    let verbose: Bool
    /// The periodic stall and the server's start it counts from (`DemoServerOptions.stall`).
    var stall: (DemoStall, ContinuousClock.Instant)? = nil

    func respond(to request: Request, context: Context) async throws -> Response {
        let start = ContinuousClock.now
        if let (stall, origin) = stall {
            let wait = stall.wait(at: start - origin)
            if wait > .zero { try await Task.sleep(for: wait) }
        }
        var response: Response
        do {
            response = try await dispatch(request, context: context)
        } catch let error as APIError {
            response = error.response
        } catch let error as HTTPError {
            response = APIError(error.status, error.body ?? error.status.reasonPhrase).response
        } catch let error as any HTTPResponseError {
            // Framework checks such as the body size limit (NIOTooManyBytesError → 413); client errors here.
            response = APIError(error.status, error.status.reasonPhrase).response
        } catch let failure as PlantedDefects.PlantedFailure {
            log(request, status: "500 [\(failure.defect.id)]", since: start)
            return Response(
                status: .internalServerError, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "Internal Server Error"))
            )
        } catch let dropped as PlantedDefects.DroppedConnection {
            log(request, status: "dropped [\(PlantedDefects.scriptCreateWithoutContentType.id)]", since: start)
            throw dropped
        }
        if request.method == .head {
            response.body = .init()
        }
        log(request, status: String(response.status.code), since: start)
        return response
    }

    private func log(_ request: Request, status: String, since start: ContinuousClock.Instant) {
        guard verbose else { return }
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        logger.info("\(request.method.rawValue) \(request.uri.string) \(status) \(String(format: "%.1f", ms))ms")
    }

    private func dispatch(_ request: Request, context: Context) async throws -> Response {
        if request.uri.path == "/openapi.json", request.method == .get || request.method == .head {
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.text)))
        }
        guard let route = Self.route(path: request.uri.path) else { throw APIError.notFound }
        var method = request.method
        if method == .head, route.methods.contains(.get) { method = .get }
        guard route.methods.contains(method) else {
            if case .script = route {
                // The unimplemented PATCH stub (D3) sits behind the same auth and CSRF checks as PUT.
                let (session, _) = try authenticate(request)
                try requireCSRF(request, session: session)
                try defects.checkScriptMethod(method)
            }
            throw APIError.methodNotAllowed(allowed: route.methods)
        }
        switch route {
        case .register: return try await register(request)
        case .login: return try await login(request)
        case .logout: return try logout(request)
        case .me: return try me(request)
        case .execute: return try await execute(request)
        case .executionResult(let id): return try executionResult(request, id: id)
        case .executionEvents(let id): return try await executionEvents(request, id: id)
        case .executionStream(let id): return try executionStream(request, id: id)
        case .scripts: return method == .get ? try listScripts(request) : try await createScript(request, context: context)
        case .script(let id): return try await scriptItem(request, method: method, id: id)
        case .settings: return try settings(request)
        case .theme: return try await updateTheme(request)
        case .notifications: return try notifications(request)
        case .markAllRead: return try markAllRead(request)
        case .grafana: return try await grafana(request)
        case .live:
            return .json([
                "status": "ok", "timestamp": .string(DemoStore.now()), "links": ["version": .string(Self.prefix + "/health/version")],
            ])
        case .version:
            try defects.checkVersion()
            return .json(["version": "1.0.0", "api": "v1"])
        }
    }

    /// Maps a raw path to a route; `nil` (404) for anything else, including undecodable escapes.
    static func route(path: String) -> Route? {
        guard path.hasPrefix(prefix + "/") else { return nil }
        var segments: [String] = []
        for raw in path.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: true) {
            guard let segment = String(raw).removingPercentEncoding else { return nil }
            segments.append(segment)
        }
        switch segments.count {
        case 1:
            switch segments[0] {
            case "execute": return .execute
            case "scripts": return .scripts
            case "notifications": return .notifications
            default: return nil
            }
        case 2:
            switch (segments[0], segments[1]) {
            case ("auth", "register"): return .register
            case ("auth", "login"): return .login
            case ("auth", "logout"): return .logout
            case ("auth", "me"): return .me
            case ("scripts", let id): return .script(id)
            case ("user", "settings"): return .settings
            case ("notifications", "mark-all-read"): return .markAllRead
            case ("alerts", "grafana"): return .grafana
            case ("health", "live"): return .live
            case ("health", "version"): return .version
            default: return nil
            }
        case 3:
            switch (segments[0], segments[1], segments[2]) {
            case ("executions", let id, "result"): return .executionResult(id)
            case ("executions", let id, "events"): return .executionEvents(id)
            case ("events", "executions", let id): return .executionStream(id)
            case ("user", "settings", "theme"): return .theme
            default: return nil
            }
        default:
            return nil
        }
    }

    // MARK: Authentication

    /// The caller's session and user from the `access_token` cookie (401 otherwise).
    func authenticate(_ request: Request) throws -> (DemoStore.Session, DemoUser) {
        guard let token = request.cookies["access_token"]?.value, !token.isEmpty,
            let found = store.authenticate(accessToken: token)
        else { throw APIError.unauthorized }
        return found
    }

    /// Double-submit check: `X-CSRF-Token` must equal the `csrf_token` cookie, which must be the session's (403).
    func requireCSRF(_ request: Request, session: DemoStore.Session) throws {
        guard let header = request.headers.first(where: { $0.name.canonicalName == "x-csrf-token" })?.value,
            let cookie = request.cookies["csrf_token"]?.value,
            header == cookie, cookie == session.csrfToken
        else { throw APIError.csrf }
    }
}
