import Foundation
import Mutator
import StampedeClient
import StampedeCore
import StampedeHTTP
import StampedeEngine
import Testing

@testable import Replayer

/// The one client core (StampedeClient) against a small third-party-shaped server on loopback,
/// through the real libcurl engine: secrets, login ordering, re-login, unresolved variables,
/// status classes, and one rendering for every path.
@Suite(.serialized) struct ClientCoreTests {
    static let secretValue = AuthServer.basic

    static func step(
        _ method: String, _ path: String, expect: Int, headers: [HTTPHeader] = [], form: String? = nil,
        extract: [ExtractRule] = [], role: StepRole? = nil, setsCookies: [String] = []
    ) -> Step {
        var headers = headers
        var body: BodyTemplate?
        if let form {
            headers.append(HTTPHeader("Content-Type", "application/x-www-form-urlencoded"))
            body = BodyTemplate(text: form, contentType: "application/x-www-form-urlencoded")
        }
        return Step(
            request: RequestTemplate(method: method, path: path, headers: headers, body: body), expect: Expectation(status: expect),
            extract: extract, role: role, setsCookies: setsCookies)
    }

    /// `GET /` (unrelated), `GET /login` (sets `_xsrf`), the form login echoing it, then `/api/me`.
    static func formLoginSessions(setsCookies: Bool) -> [Session] {
        [
            Session(id: "app", steps: [
                step("GET", "/echo/home", expect: 200),
                step("GET", "/login", expect: 200, setsCookies: setsCookies ? ["_xsrf"] : []),
                step("POST", "/login", expect: 302, form: "_xsrf={{cookie._xsrf}}&user={{vu.username}}", role: .login,
                    setsCookies: setsCookies ? ["sid"] : []),
                step("GET", "/api/me", expect: 200),
                step("GET", "/api/forbidden", expect: 403),
            ])
        ]
    }

    static func replay(_ sessions: [Session], _ baseURL: String, secrets: Secrets = Secrets(), seconds: Double = 1.5) async throws -> ReplayReport {
        let load = try LoadConfig.resolve(
            flags: [.baseURL: baseURL, .mode: "user", .clients: "2", .concurrency: "2", .duration: String(seconds)], environment: [:])
        let options = ReplayOptions(
            load: load, corpusPath: "test", seed: 3, runID: "cc1", requestTimeoutMs: 2_000, workers: 1, stopGraceMs: 1_000,
            triage: TriageOptions(enabled: false), secrets: secrets)
        return try await Replay(options: options, sessions: sessions).run()
    }

    // MARK: - Secrets

    @Test func secretsComeFromFlagFileAndEnvironmentInThatOrder() throws {
        let path = NSTemporaryDirectory() + "stampede-secrets-\(UInt32.random(in: 0...UInt32.max)).env"
        let file = """
            # credentials for the staging API
            export authorization_basic="Basic ZmlsZTpmaWxl"
            STAMPEDE_SECRET_API_KEY='k-file'
            token = plain

            """
        try file.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let environment = [
            "STAMPEDE_SECRET_AUTHORIZATION_BASIC": "Basic ZW52OmVudg==", "STAMPEDE_SECRET_ONLY_ENV": "e", "PATH": "/bin",
        ]
        let secrets = try Secrets.load(flags: ["api_key=k-flag"], file: path, environment: environment)
        #expect(secrets.value(named: "authorization_basic") == "Basic ZmlsZTpmaWxl")
        #expect(secrets.value(named: "api_key") == "k-flag")
        #expect(secrets.value(named: "token") == "plain")
        #expect(secrets.value(named: "only_env") == "e")
        #expect(secrets.names == ["api_key", "authorization_basic", "only_env", "token"])
        #expect(secrets.redact("Authorization: Basic ZmlsZTpmaWxl") == "Authorization: $STAMPEDE_SECRET_AUTHORIZATION_BASIC")
        #expect(throws: SecretsError.self) { try Secrets.load(flags: ["novalue"], file: nil, environment: [:]) }
        #expect(throws: SecretsError.self) { try Secrets.load(flags: [], file: path + ".missing", environment: [:]) }
    }

    @Test func secretsAreSentButNeverReportedAndAMissingOneIsUnresolved() async throws {
        let server = try await AuthServer.start()
        let sessions = [
            Session(id: "basic", steps: [
                Self.step("GET", "/api/basic", expect: 200, headers: [HTTPHeader("Authorization", "{{secret.authorization_basic}}")]),
                Self.step("GET", "/weird", expect: 200, headers: [HTTPHeader("Authorization", "{{secret.authorization_basic}}")]),
            ])
        ]
        let report = try await Self.replay(sessions, server.baseURL, secrets: Secrets(["authorization_basic": Self.secretValue]))
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        let missing = try await Self.replay(sessions, server.baseURL, seconds: 0.5)
        let targets = server.targets
        await server.stop()

        #expect((report.endpoints["GET /api/basic"]?.status["200"] ?? 0) > 0)
        #expect(report.endpoints["GET /api/basic"]?.status["401"] == nil)
        #expect((report.failureClasses["protocol"] ?? 0) > 0, "status 940 is a protocol violation")
        #expect(report.failureClasses["server_error"] == 0)
        #expect(!report.findings.isEmpty)
        #expect(!json.contains(Self.secretValue) && !json.contains("dXNlcjpwYXNz"))
        #expect(json.contains("$STAMPEDE_SECRET_AUTHORIZATION_BASIC") || json.contains("{{secret.authorization_basic}}"))
        // Without the secret nothing is sent, and the report names the variable.
        #expect((missing.unresolved?["secret.authorization_basic"] ?? 0) > 0)
        #expect(missing.notes.contains { $0.contains("set STAMPEDE_SECRET_AUTHORIZATION_BASIC") })
        #expect(targets.filter { $0.contains("basic") }.count == report.endpoints["GET /api/basic"]?.count)
    }

    // MARK: - Identity

    @Test func planRunsTheLoginWithThePrerequisitesItNeedsInRecordedOrder() {
        let renderer = StepRenderer(baseURL: "http://h", requestTimeoutMs: 0)
        let plan = ReplayPlan(sessions: Self.formLoginSessions(setsCookies: true), autoRegister: true, renderer: renderer)
        // Every step before the login was recorded logged out: it runs with the login, in order,
        // and never in the session's later passes (a logged-in `GET /login` is redirected).
        #expect(plan.identity.map(\.endpoint) == ["GET /echo/home", "GET /login", "POST /login"])
        #expect(plan.loginIndex == 0 && plan.identity.allSatisfy(\.inLogin))
        #expect(!plan.sessions.flatMap(\.steps).contains { $0.endpoint == "GET /login" })
        // The prerequisites alone (sets_cookies): the GET that sets the cookie the login echoes.
        #expect(StepDependencies.prerequisites(of: 2, in: Self.formLoginSessions(setsCookies: true)[0], identity: true, getFallback: false) == [1])
        // Without sets_cookies: every earlier GET of the login's session.
        let fallback = ReplayPlan(sessions: Self.formLoginSessions(setsCookies: false), autoRegister: true, renderer: renderer)
        #expect(fallback.identity.map(\.endpoint) == ["GET /echo/home", "GET /login", "POST /login"])
        // A variable the login references pulls in the step that extracts it.
        var session = Self.formLoginSessions(setsCookies: true)[0]
        session.steps[0].extract = [ExtractRule(variable: "nonce", source: .json, expression: "/ok")]
        session.steps[2].request.body?.text = "_xsrf={{cookie._xsrf}}&nonce={{nonce}}"
        #expect(StepDependencies.prerequisites(of: 2, in: session, identity: true, getFallback: false) == [0, 1])
        #expect(StepDependencies.prerequisites(of: 3, in: session, identity: false, getFallback: false) == [])
    }

    @Test func formLoginNeedingACookieFromAnEarlierGetSucceedsForEveryClient() async throws {
        let server = try await AuthServer.start()
        let report = try await Self.replay(Self.formLoginSessions(setsCookies: true), server.baseURL)
        let (logins, rejected) = (server.logins, server.rejectedLogins)
        await server.stop()
        let user = try #require(report.modes["user"])
        #expect(user.failures == 0, "\(report.failureClasses) \(report.findings.map(\.failure))")
        #expect(logins == 2 && rejected == 0)
        #expect(report.clients.relogins == 0, "a step recorded as 403 does not trigger a re-login")
        #expect((report.endpoints["GET /api/me"]?.count ?? 0) > 2)
    }

    @Test func a403OnAStepRecordedAs2xxLogsInAgain() async throws {
        let server = try await AuthServer.start(sessionRequests: 1)
        let report = try await Self.replay(Self.formLoginSessions(setsCookies: false), server.baseURL, seconds: 2.5)
        let (logins, rejected) = (server.logins, server.rejectedLogins)
        await server.stop()
        #expect(report.clients.relogins > 0)
        #expect(logins > 2 && rejected == 0)
        // Each lost session costs one refused request, never a chain of them.
        let me = try #require(report.endpoints["GET /api/me"])
        #expect((me.status["200"] ?? 0) >= (me.status["403"] ?? 0))
    }

    // MARK: - Unresolved

    @Test func unresolvedVariablesAreNotSentAndAreCountedPerVariable() async throws {
        let server = try await AuthServer.start()
        let sessions = [
            Session(id: "items", steps: [
                Self.step("POST", "/echo/items", expect: 200, extract: [ExtractRule(variable: "item_id", source: .json, expression: "/id")]),
                Self.step("GET", "/echo/items/{{item_id}}", expect: 200),
                Self.step("GET", "/echo/raw/%7B%7Bitem_id%7D%7D", expect: 200),
            ])
        ]
        let report = try await Self.replay(sessions, server.baseURL, seconds: 1)
        let engine = try HTTPEngine(configuration: EngineConfiguration(workers: 1))
        let client = StepClient(
            engine: engine, renderer: StepRenderer(baseURL: server.baseURL, requestTimeoutMs: 2_000),
            sources: VariableSources(sessions: sessions))
        var state = ClientState(identity: ClientIdentity(index: 1, runID: "u"))
        let outcome = await client.run(sessions[0], state: &state)
        engine.shutdown()
        let targets = server.targets
        await server.stop()

        #expect(!targets.contains { $0.contains("{{") || $0.lowercased().contains("%7b") })
        #expect(targets.contains("/echo/items"))
        #expect((report.unresolved?["item_id"] ?? 0) >= 2)
        #expect((report.failureClasses["unresolved"] ?? 0) == report.unresolved?["item_id"])
        #expect(report.notes.filter { $0.hasPrefix("{{item_id}} unresolved") }.count == 1)
        #expect(outcome.steps[1].failureClass == .unresolved && outcome.steps[1].attempts == 0)
        #expect(outcome.steps[1].explanation.hasPrefix("{{item_id}} unresolved: step 1 (POST /echo/items) did not return /id"))
    }

    // MARK: - Classes

    @Test(arguments: [
        (200, 2, nil), (404, 2, FailureClass.expectation), (503, nil, .serverError), (940, nil, .protocol),
        (99, 2, .protocol), (403, 4, nil), (599, 5, .serverError),
    ] as [(Int, Int?, FailureClass?)])
    func statusClassesFollowRFC9110(status: Int, expect: Int?, result: FailureClass?) {
        #expect(FailureClass.classify(EngineResponse(status: status), expectClass: expect) == result)
    }

    @Test func transportFailuresAreTypedNotNamed() {
        let timeout = TransportFailure(code: 28, name: "CURLE_OPERATION_TIMEDOUT", message: "")
        let weird = TransportFailure(code: 8, name: "CURLE_WEIRD_SERVER_REPLY", message: "")
        let malformed = TransportFailure(code: 3, name: "CURLE_URL_MALFORMAT", message: "")
        #expect(timeout.isTimeout && !timeout.isLocal && malformed.isLocal)
        #expect(FailureClass.classify(EngineResponse(failure: timeout), expectClass: 2) == .timeout)
        #expect(FailureClass.classify(EngineResponse(failure: weird), expectClass: nil) == .protocol)
        #expect(FailureClass.classify(EngineResponse(failure: malformed), expectClass: nil) == nil)
    }

    // MARK: - One rendering

    @Test func verificationReplayAndTriageSendTheSameBytes() async throws {
        let server = try await AuthServer.start()
        let template = RequestTemplate(
            method: "POST", path: "/echo/things/{{thing}}", query: [QueryItem("q", "a b&{{thing}}")],
            headers: [
                HTTPHeader("Content-Type", "application/json"), HTTPHeader("Authorization", "{{secret.authorization_basic}}"),
                HTTPHeader("X-Run", "fixed"),
            ],
            body: BodyTemplate(text: #"{"name":"{{thing}}","note":"x"}"#, contentType: "application/json"))
        let sessions = [
            Session(id: "one", steps: [
                Self.step("POST", "/echo/seed", expect: 200, extract: [ExtractRule(variable: "thing", source: .regex, expression: "(ok)")]),
                Step(request: template, expect: Expectation(status: 200)),
            ])
        ]
        let secrets = Secrets(["authorization_basic": Self.secretValue])
        let renderer = StepRenderer(baseURL: server.baseURL, secrets: secrets, requestTimeoutMs: 2_000)
        let engine = try HTTPEngine(configuration: EngineConfiguration(workers: 1))
        // Verification and `check` path.
        var state = ClientState(identity: ClientIdentity(index: 1, runID: "v"))
        _ = await StepClient(engine: engine, renderer: renderer).run(sessions[0], state: &state)
        // Triage path.
        let load = try LoadConfig.resolve(flags: [.baseURL: server.baseURL, .mode: "user"], environment: [:])
        let options = ReplayOptions(load: load, corpusPath: "t", seed: 1, runID: "tr", secrets: secrets)
        let plan = ReplayPlan(sessions: sessions, autoRegister: true, renderer: renderer)
        let triage = Triage(options: options, plan: plan, renderer: renderer, engine: engine, mutator: nil)
        _ = await triage.probe(context: [sessions[0].steps[0]], candidate: MutatedRequest(request: template))
        engine.shutdown()
        // Replay path (VirtualClient).
        _ = try await Self.replay(sessions, server.baseURL, secrets: secrets, seconds: 1.5)
        let echoes = server.echoes.filter { $0.target.hasPrefix("/echo/things") }
        await server.stop()

        #expect(echoes.count >= 3)
        let first = try #require(echoes.first)
        #expect(first.target == "/echo/things/ok?q=a%20b%26ok")
        #expect(first.body == #"{"name":"ok","note":"x"}"#)
        #expect(first.headers["authorization"] == Self.secretValue)
        for echo in echoes {
            #expect(echo.method == first.method && echo.target == first.target && echo.body == first.body)
            #expect(echo.headers["authorization"] == first.headers["authorization"])
            #expect(echo.headers["content-type"] == first.headers["content-type"] && echo.headers["x-run"] == "fixed")
        }
    }
}
