import Correlation
import StampedeCore
import StampedeHTTP
import Testing

/// Hand-made exchanges: inference rules one at a time.
@Suite("Correlation inference and redaction")
struct CorrelatorTests {
    static func exchange(
        _ method: String, _ path: String, query: [QueryItem] = [], headers: [HTTPHeader] = [], body: String = "",
        status: Int = 200, responseHeaders: [HTTPHeader] = [], response: String = "", at: Int64 = 0, connection: String = "c1"
    ) -> RecordedExchange {
        RecordedExchange(
            connection: connection, startedAtMs: at, endedAtMs: at + 5, method: method, path: path, query: query,
            requestHeaders: headers, requestBody: Array(body.utf8), status: status,
            responseHeaders: responseHeaders, responseBody: Array(response.utf8))
    }

    @Test("a Location header value reused in a later path becomes an extract rule with a pattern")
    func locationHeader() throws {
        let session = Correlator().session(id: "s", exchanges: [
            Self.exchange("POST", "/api/orders", headers: [HTTPHeader("Content-Type", "application/json")], body: #"{"item":"book"}"#,
                status: 201, responseHeaders: [HTTPHeader("Location", "/api/orders/8f14e45fceea167a")]),
            Self.exchange("GET", "/api/orders/8f14e45fceea167a", at: 10),
        ])
        #expect(session.steps[1].request.path == "/api/orders/{{order_id}}")
        let rule = try #require(session.steps[0].extract.first)
        #expect(rule.source == .header && rule.expression == "Location" && rule.pattern != nil)
        #expect(session.steps[1].endpoint == "GET /api/orders/{id}")
        // The rule really extracts the value from such a response.
        var response = ResponseView(body: [], header: { $0 == "Location" ? "/api/orders/abc123def456" : nil }, cookie: { _ in nil })
        #expect(response.value(of: rule) == "abc123def456")
    }

    @Test("a token from a login response used as a bearer token becomes a variable; other Authorization values are redacted")
    func bearerAndRedaction() throws {
        let token = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0c2VjcmV0.sig0123456789"
        let session = Correlator().session(id: "s", exchanges: [
            Self.exchange("POST", "/auth/login", headers: [HTTPHeader("Content-Type", "application/json")],
                body: #"{"email":"ann@example.org","password":"hunter2hunter2"}"#, response: #"{"access_token":"\#(token)"}"#),
            Self.exchange("GET", "/me", headers: [HTTPHeader("Authorization", "Bearer \(token)")], at: 10),
            Self.exchange("GET", "/other", headers: [HTTPHeader("Authorization", "Basic YW5uOmh1bnRlcjI="), HTTPHeader("X-Api-Key", "k-1234567")], at: 20),
        ])
        #expect(session.steps[0].role == .login)
        // No sign-up in the session: the account exists, its name stays; the password is the configured one.
        #expect(session.steps[0].request.body?.text == #"{"email":"ann@example.org","password":"{{vu.password}}"}"#)
        #expect(session.steps[0].extract.map(\.expression) == ["/access_token"])
        #expect(session.steps[1].request.header("Authorization") == "Bearer {{access_token}}")
        #expect(session.steps[2].request.header("Authorization") == "Basic {{secret.authorization_basic}}")
        #expect(session.steps[2].request.header("X-Api-Key") == "{{secret.x_api_key}}")
        let encoded = String(decoding: try CorpusWriter.encode(session), as: UTF8.self)
        #expect(encoded.contains("{{vu.password}}"))
        #expect(!encoded.contains("hunter2") && !encoded.contains(token) && !encoded.contains("YW5uOmh1bnRlcjI="))

        var keep = RecordingOptions()
        keep.keepSecrets = true
        let kept = Correlator(options: keep).session(id: "s", exchanges: [
            Self.exchange("GET", "/other", headers: [HTTPHeader("Authorization", "Basic YW5uOmh1bnRlcjI=")]),
        ])
        #expect(kept.steps[0].request.header("Authorization") == "Basic YW5uOmh1bnRlcjI=")
    }

    @Test("timestamps and one-off UUIDs in requests become generators; echoed client values do not become extracts")
    func volatileValues() {
        let session = Correlator().session(id: "s", exchanges: [
            Self.exchange("POST", "/events", headers: [HTTPHeader("Content-Type", "application/json")],
                body: #"{"ts":1764093600123,"request_id":"3f2b8c1e-9a4d-4e1b-8f3a-2c5d7e9f1a2b","name":"x"}"#,
                response: #"{"ts":1764093600123,"id":"3f2b8c1e-9a4d-4e1b-8f3a-2c5d7e9f1a2b"}"#),
            Self.exchange("GET", "/events/3f2b8c1e-9a4d-4e1b-8f3a-2c5d7e9f1a2b", at: 10),
        ])
        // The UUID was the client's own (it appears in a request first), so it is not extracted;
        // it is used twice, so it is not a one-off generator either: it stays literal.
        #expect(session.steps[0].extract.isEmpty)
        #expect(session.steps[0].request.body?.text?.contains(#""ts":{{now.ms}}"#) == true)
        #expect(session.variables.contains { $0.name == "now.ms" && $0.kind == .generator })
        #expect(session.steps[1].request.path == "/events/3f2b8c1e-9a4d-4e1b-8f3a-2c5d7e9f1a2b")
    }

    @Test("repeated GETs whose status changes until terminal collapse into one polled step")
    func pollCollapse() throws {
        let id = "0d1e2f3a4b5c6d7e"
        let session = Correlator().session(id: "s", exchanges: [
            Self.exchange("POST", "/jobs", response: #"{"job_id":"\#(id)","status":"queued"}"#),
            Self.exchange("GET", "/jobs/\(id)", response: #"{"status":"running"}"#, at: 100),
            Self.exchange("GET", "/jobs/\(id)", response: #"{"status":"running"}"#, at: 300),
            Self.exchange("GET", "/jobs/\(id)", response: #"{"status":"completed"}"#, at: 500),
            Self.exchange("GET", "/jobs", at: 600),
        ])
        #expect(session.steps.count == 3)
        let poll = try #require(session.steps[1].poll)
        #expect(poll.pointer == "/status" && poll.until.contains("completed") && poll.intervalMs == 200)
        #expect(session.steps[1].request.path == "/jobs/{{job_id}}")
        #expect(session.unresolvedVariables().isEmpty)
    }

    @Test("the CSRF double-submit header becomes a cookie-bound header and the Cookie header is never stored")
    func csrfCookie() {
        let session = Correlator().session(id: "s", exchanges: [
            Self.exchange("POST", "/things", headers: [
                HTTPHeader("Cookie", "access_token=aaaaaaaaaaaaaaaaaaaa; csrf_token=c5rfc5rfc5rfc5rf"),
                HTTPHeader("X-CSRF-Token", "c5rfc5rfc5rfc5rf"),
            ]),
        ])
        #expect(session.steps[0].request.header("X-CSRF-Token") == "{{cookie.csrf_token}}")
        #expect(session.steps[0].request.header("Cookie") == nil)
        #expect(session.variables.contains { $0.name == "cookie.csrf_token" && $0.kind == .cookie })
    }
}

@Suite("Session grouping")
struct SessionGrouperTests {
    @Test("a login ties the session cookie to its session across connections; the pooled connection then starts a new one")
    func cookieBinding() {
        var grouper = SessionGrouper()
        let login = CorrelatorTests.exchange("POST", "/login", responseHeaders: [HTTPHeader("Set-Cookie", "access_token=tok1; Path=/")], connection: "a")
        grouper.add(login)
        grouper.add(CorrelatorTests.exchange("GET", "/me", headers: [HTTPHeader("Cookie", "access_token=tok1")], at: 10, connection: "b"))
        grouper.add(CorrelatorTests.exchange("POST", "/register", at: 20, connection: "a"))
        let groups = grouper.finishAll()
        #expect(groups.map { $0.exchanges.map(\.path) } == [["/login", "/me"], ["/register"]])
    }

    @Test("a session ends after the idle gap, not before, and never while an exchange is in flight")
    func idleGap() {
        var grouper = SessionGrouper(options: RecordingOptions(idleGap: .seconds(30)))
        grouper.add(CorrelatorTests.exchange("GET", "/a", at: 0))
        #expect(grouper.finishIdle(nowMs: 29_000).isEmpty)
        let ticket = grouper.begin(connection: "c1", cookies: [], atMs: 29_500)
        #expect(grouper.finishIdle(nowMs: 200_000).isEmpty)
        grouper.complete(ticket, with: CorrelatorTests.exchange("GET", "/sse", at: 29_500))
        #expect(grouper.finishIdle(nowMs: 200_000).map { $0.exchanges.count } == [2])
        #expect(grouper.openCount == 0)
    }
}
