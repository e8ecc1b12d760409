import Foundation
public import Correlation
public import StampedeCore
public import StampedeEngine
import StampedeHTTP

/// The demo target's realistic user flows (the weighted flows of the original suite), driven as
/// a client and recorded: `stampede record --flow demo`, `stampede demo` and tests use it.
///
/// Every flow is one session and self-contained: flows that need a user start with
/// `POST /auth/register` and `POST /auth/login` (recorded with roles `register`/`login`, their
/// bodies templated to `vu.username`/`vu.email`/`vu.password`), so a replaying client registers
/// its own user at the start of each session.
///
/// ```swift
/// let engine = try HTTPEngine()
/// let sessions = try await DemoFlow.record(baseURL: "http://127.0.0.1:8000", engine: engine)
/// try CorpusWriter.writeAtomically(path: "corpora/demo/baseline.corpus",
///                                  header: CorpusHeader(baseURL: base, name: "demo"), sessions: sessions)
/// ```
public enum DemoFlow {
    /// One user flow of the demo target.
    public enum Flow: String, CaseIterable, Sendable {
        /// register → login → me → execute → SSE stream of the execution.
        case executeStream = "execute-sse"
        /// register → login → execute → poll the result until terminal.
        case executePoll = "execute-poll"
        /// register → login → execute → poll → event history.
        case eventHistory = "event-history"
        /// register → login → scripts create → list → update → delete.
        case scripts
        /// register → login → settings → theme → notifications → mark all read.
        case settings
        /// Grafana webhook and liveness, no user.
        case webhook

        /// Relative weight when a user client picks a session (the original's 5/2/2/2 split, with
        /// execute split 60/40 between SSE and polling).
        public var weight: Double {
            switch self {
            case .executeStream: 3
            case .executePoll: 2
            case .eventHistory, .scripts, .settings: 2
            case .webhook: 1
            }
        }

        /// A readable session name.
        public var title: String {
            switch self {
            case .executeStream: "execute + SSE"
            case .executePoll: "execute + poll result"
            case .eventHistory: "execute + event history"
            case .scripts: "saved scripts CRUD"
            case .settings: "settings + notifications"
            case .webhook: "grafana webhook + health"
            }
        }
    }

    /// A flow step answered with a transport failure or a 5xx: the target is not healthy enough to record.
    public struct FlowError: Error, CustomStringConvertible {
        /// The flow that failed.
        public var flow: Flow
        /// The request that failed (`METHOD path`).
        public var request: String
        /// Its status (0 with a transport failure).
        public var status: Int
        /// The transport failure, if any.
        public var failure: String?
        /// `demo flow NAME: request → reason`, one line.
        public var description: String {
            "demo flow \(flow.rawValue): \(request) → " + (failure ?? "HTTP \(status)")
        }
    }

    /// Drives every flow (each as a fresh user) and returns one correlated session per flow.
    public static func record(
        baseURL: String, engine: HTTPEngine, options: RecordingOptions = .init(), flows: [Flow] = Flow.allCases,
        apiPrefix: String = "/api/v1"
    ) async throws -> [Session] {
        let correlator = Correlator(options: options)
        let run = ClientIdentity.randomRunID()
        var sessions: [Session] = []
        for (index, flow) in flows.enumerated() {
            let exchanges = try await drive(flow, baseURL: baseURL, engine: engine, user: "demo_\(index + 1)_\(run)", apiPrefix: apiPrefix)
            var session = correlator.session(id: "demo-\(flow.rawValue)", name: flow.title, exchanges: exchanges)
            session.weight = flow.weight
            sessions.append(session)
        }
        return sessions
    }

    /// Drives one flow against `baseURL` (the target, or a recording proxy in front of it) with a
    /// fresh cookie jar, and returns what was exchanged.
    /// - Throws: `FlowError` when a request gets no response or a 5xx.
    public static func drive(
        _ flow: Flow, baseURL: String, engine: HTTPEngine, user: String, apiPrefix: String = "/api/v1"
    ) async throws -> [RecordedExchange] {
        var client = FlowClient(flow: flow, baseURL: baseURL, prefix: apiPrefix, engine: engine)
        let password = "pw-\(user)-Secret1"
        if flow != .webhook {
            try await client.send("POST", "/auth/register", json: .obj(["username": .string(user), "email": .string("\(user)@example.com"), "password": .string(password)]))
            try await client.send("POST", "/auth/login", form: [("username", user), ("password", password)])
        }
        switch flow {
        case .executeStream:
            try await client.send("GET", "/auth/me")
            let id = try await client.execute(script: "print('hello from the stream flow')")
            try await client.send("GET", "/events/executions/\(id)", sse: true)
        case .executePoll:
            let id = try await client.execute(script: "for i in range(3):\n    print(i)")
            try await client.poll(id)
        case .eventHistory:
            let id = try await client.execute(script: "print('history')\nprint(sum(range(10)))")
            try await client.poll(id)
            try await client.send("GET", "/executions/\(id)/events", query: [QueryItem("limit", "50")])
        case .scripts:
            let created = try await client.send("POST", "/scripts", json: .obj(["name": .string("demo script"), "script": .string("print('saved')"), "description": .string("recorded by stampede")]))
            let id = (try? JSONParser().parse(created.body))?[pointer: "/id"]?.stringValue ?? "missing-id"
            try await client.send("GET", "/scripts", query: [QueryItem("limit", "20")])
            try await client.send("PUT", "/scripts/\(id)", json: .obj(["name": .string("demo script v2"), "script": .string("print('saved again')")]))
            try await client.send("DELETE", "/scripts/\(id)")
        case .settings:
            try await client.send("GET", "/user/settings/")
            try await client.send("PUT", "/user/settings/theme", json: .obj(["theme": .string("dark")]))
            try await client.send("GET", "/notifications", query: [QueryItem("limit", "20"), QueryItem("offset", "0")])
            try await client.send("POST", "/notifications/mark-all-read")
        case .webhook:
            let alert: JSONValue = .obj([
                "status": .string("firing"),
                "labels": .obj(["alertname": .string("HighLatency"), "severity": .string("warning")]),
                "annotations": .obj(["summary": .string("p99 above 500 ms")]),
                "valueString": .string("B=612"),
            ])
            try await client.send("POST", "/alerts/grafana", json: .obj([
                "status": .string("firing"), "receiver": .string("stampede"), "alerts": .array([alert]),
                "groupLabels": .obj(["alertname": .string("HighLatency")]),
                "commonLabels": .obj(["severity": .string("warning")]),
                "commonAnnotations": .obj([:]),
            ]))
            try await client.send("GET", "/health/live")
        }
        return client.exchanges
    }
}

/// A browser-like client for one flow: cookie jar, double-submit CSRF header, exchange log.
struct FlowClient {
    let flow: DemoFlow.Flow
    let baseURL: String
    let prefix: String
    let engine: HTTPEngine
    var jar = CookieJar()
    var exchanges: [RecordedExchange] = []

    init(flow: DemoFlow.Flow, baseURL: String, prefix: String, engine: HTTPEngine) {
        self.flow = flow
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.prefix = prefix
        self.engine = engine
    }

    mutating func execute(script: String) async throws -> String {
        let response = try await send("POST", "/execute", json: .obj(["script": .string(script), "lang": .string("python"), "lang_version": .string("3.11")]))
        return (try? JSONParser().parse(response.body))?[pointer: "/execution_id"]?.stringValue ?? "missing-id"
    }

    /// GET the result every 100 ms until its status is terminal (at most 50 times).
    mutating func poll(_ id: String) async throws {
        for _ in 0..<50 {
            let response = try await send("GET", "/executions/\(id)/result")
            let status = (try? JSONParser().parse(response.body))?[pointer: "/status"]?.stringValue ?? ""
            if ["completed", "failed", "timeout", "cancelled", "error"].contains(status) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    @discardableResult
    mutating func send(_ method: String, _ path: String, json: JSONValue) async throws -> EngineResponse {
        try await send(method, path, body: json.serializedBytes(), contentType: "application/json")
    }

    @discardableResult
    mutating func send(_ method: String, _ path: String, form: [(String, String)]) async throws -> EngineResponse {
        let body = QueryItem.encode(form.map { QueryItem($0.0, $0.1) })
        return try await send(method, path, body: Array(body.utf8), contentType: "application/x-www-form-urlencoded")
    }

    @discardableResult
    mutating func send(
        _ method: String, _ path: String, query: [QueryItem] = [], body: [UInt8] = [], contentType: String? = nil, sse: Bool = false
    ) async throws -> EngineResponse {
        let fullPath = prefix + path
        let url = baseURL + fullPath + (query.isEmpty ? "" : "?" + QueryItem.encode(query))
        var headers = [HTTPHeader("Accept", sse ? "text/event-stream" : "application/json"), HTTPHeader("User-Agent", "stampede-demo-flow")]
        if let contentType { headers.append(HTTPHeader("Content-Type", contentType)) }
        if !["GET", "HEAD"].contains(method), let csrf = CSRFPolicy().header(from: jar) { headers.append(csrf) }
        if let cookie = jar.cookieHeader(for: url) { headers.append(HTTPHeader("Cookie", cookie)) }
        var request = EngineRequest(method: method, url: url, headers: headers, body: body, timeoutMs: 30_000)
        if sse { request.sse = SSEOptions(windowMs: 10_000) }
        let started = Int64(Date().timeIntervalSince1970 * 1000)
        let response = await engine.send(request)
        let ended = Int64(Date().timeIntervalSince1970 * 1000)
        jar.store(response: response, requestURL: url)
        exchanges.append(RecordedExchange(
            connection: "flow:\(flow.rawValue)", startedAtMs: started, endedAtMs: ended, method: method, path: fullPath,
            query: query, requestHeaders: headers, requestBody: body, status: response.status,
            responseHeaders: response.headers, responseBody: response.body, responseBytes: response.bodyBytes))
        if response.status == 0 || response.status >= 500 {
            throw DemoFlow.FlowError(flow: flow, request: "\(method) \(fullPath)", status: response.status, failure: response.failure.map { "\($0.name): \($0.message)" })
        }
        return response
    }
}

extension JSONValue {
    /// An object with members in the order written.
    static func obj(_ members: KeyValuePairs<String, JSONValue>) -> JSONValue {
        .object(members.map { JSONMember($0.key, $0.value) })
    }
}
