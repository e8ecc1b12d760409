import DemoTarget
import Foundation
import StampedeCore
import StampedeEngine
import StampedeHTTP
import Synchronization

/// One virtual user of a test's demo server: a cookie jar and the real libcurl engine.
final class DemoClient: Sendable {
    let engine: HTTPEngine
    let baseURL: String
    private let jar = Mutex(CookieJar())

    init(engine: HTTPEngine, server: DemoServer) {
        self.engine = engine
        self.baseURL = server.baseURL
    }

    var csrfToken: String? { jar.withLock { $0.value(named: "csrf_token") } }
    var accessToken: String? { jar.withLock { $0.value(named: "access_token") } }

    /// Sends `METHOD /api/v1PATH` with the jar's cookies and (unless `csrf` is false) the CSRF header.
    func send(
        _ method: String, _ path: String, body: [UInt8] = [], headers: [HTTPHeader] = [],
        csrf: Bool = true, timeoutMs: Int = 5_000, sse: SSEOptions? = nil
    ) async -> EngineResponse {
        let url = baseURL + "/api/v1" + path
        var allHeaders = headers
        if let cookie = jar.withLock({ $0.cookieHeader(for: url) }) { allHeaders.append(HTTPHeader("Cookie", cookie)) }
        if csrf, let token = csrfToken { allHeaders.append(HTTPHeader("X-CSRF-Token", token)) }
        let response = await engine.send(
            EngineRequest(method: method, url: url, headers: allHeaders, body: body, timeoutMs: timeoutMs, sse: sse)
        )
        jar.withLock { $0.store(response: response, requestURL: url) }
        return response
    }

    /// Sends a JSON body (`Content-Type: application/json`).
    func sendJSON(_ method: String, _ path: String, _ object: Any, csrf: Bool = true, timeoutMs: Int = 5_000) async -> EngineResponse {
        await sendRawJSON(method, path, Self.encode(object), csrf: csrf, timeoutMs: timeoutMs)
    }

    /// Sends raw text as a JSON body.
    func sendRawJSON(_ method: String, _ path: String, _ text: String, csrf: Bool = true, timeoutMs: Int = 5_000) async -> EngineResponse {
        await send(method, path, body: Array(text.utf8), headers: [HTTPHeader("Content-Type", "application/json")], csrf: csrf, timeoutMs: timeoutMs)
    }

    func register(_ username: String, password: String = "password123") async -> EngineResponse {
        await sendJSON("POST", "/auth/register", ["username": username, "email": "\(username)@example.com", "password": password])
    }

    func login(_ username: String, password: String = "password123") async -> EngineResponse {
        let form = "username=\(username)&password=\(password)"
        return await send(
            "POST", "/auth/login", body: Array(form.utf8),
            headers: [HTTPHeader("Content-Type", "application/x-www-form-urlencoded")], csrf: false
        )
    }

    /// Registers and logs in; returns the login response.
    @discardableResult
    func signUp(_ username: String) async -> EngineResponse {
        _ = await register(username)
        return await login(username)
    }

    /// Submits a script and returns its execution id (nil when the submission failed).
    func execute(_ script: String) async -> String? {
        let response = await sendJSON("POST", "/execute", ["script": script, "lang": "python", "lang_version": "3.11"])
        return response.json?["execution_id"] as? String
    }

    /// Creates a saved script and returns its id.
    func createScript(name: String = "demo", script: String = "print('hi')") async -> String? {
        await sendJSON("POST", "/scripts", ["name": name, "script": script]).json?["id"] as? String
    }

    static func encode(_ object: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.fragmentsAllowed]) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}

extension EngineResponse {
    /// The body as a JSON object, if it is one.
    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }

    /// The body as any JSON value.
    var jsonValue: Any? {
        try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
    }

    /// The `detail` member of an error body.
    var detail: Any? { json?["detail"] }
}

/// Runs `body` against a fresh demo server and engine, and always stops both.
func withDemo(defects: Bool = true, lenient: Bool = false, _ body: (DemoServer, HTTPEngine) async throws -> Void) async throws {
    let server = try await DemoServer.start(DemoServerOptions(defects: defects, lenient: lenient))
    let engine: HTTPEngine
    do {
        engine = try HTTPEngine(configuration: EngineConfiguration(workers: 1))
    } catch {
        await server.stop()
        throw error
    }
    do {
        try await body(server, engine)
    } catch {
        engine.shutdown()
        await server.stop()
        throw error
    }
    engine.shutdown()
    await server.stop()
}

/// Waits for the execution to finish and returns its result object.
func waitForResult(_ client: DemoClient, _ executionID: String) async -> [String: Any]? {
    // Stream the execution to its end instead of sleeping; the SSE response completes at the terminal event.
    _ = await client.send("GET", "/events/executions/\(executionID)", sse: SSEOptions(windowMs: 5_000, maxEvents: 16))
    return await client.send("GET", "/executions/\(executionID)/result").json
}
