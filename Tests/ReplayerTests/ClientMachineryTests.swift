import Foundation
import StampedeClient
import StampedeCore
import StampedeHTTP
import StampedeTestSupport
import StampedeEngine
import Synchronization
import Testing

@testable import Replayer

final class RecordingWaiter: PermitWaiter {
    let id: Int
    let log: Log

    init(id: Int, log: Log) {
        self.id = id
        self.log = log
    }

    func permitGranted() { log.entries.withLock { $0.append(id) } }
}

final class Log: Sendable {
    let entries = Mutex<[Int]>([])
}

@Suite struct ClientMachineryTests {
    @Test func limiterHandsPermitsToWaitersInOrder() {
        let limiter = ConcurrencyLimiter(permits: 2)
        let log = Log()
        let waiters = (0..<5).map { RecordingWaiter(id: $0, log: log) }
        #expect(limiter.acquire(or: waiters[0]))
        #expect(limiter.acquire(or: waiters[1]))
        #expect(!limiter.acquire(or: waiters[2]))
        #expect(!limiter.acquire(or: waiters[3]))
        #expect(limiter.waiting == 2)
        limiter.releaseAndResume()  // → 2
        limiter.releaseAndResume()  // → 3
        #expect(log.entries.withLock { $0 } == [2, 3])
        #expect(limiter.held == 2)
        limiter.releaseAndResume()
        limiter.releaseAndResume()
        #expect(limiter.held == 0)
        #expect(limiter.maxHeld == 2)
    }

    @Test func limiterNeverExceedsItsPermitsUnderThreads() async {
        let limiter = ConcurrencyLimiter(permits: 3)
        let gauge = InFlightGauge()
        let log = Log()
        // Each task acquires (spinning on the non-blocking API), holds, releases; 4 tasks, 3 permits.
        await withTaskGroup(of: Void.self) { group in
            for t in 0..<4 {
                group.addTask {
                    let me = RecordingWaiter(id: t, log: log)
                    for _ in 0..<500 {
                        if limiter.acquire(or: me) {
                            gauge.enter()
                            gauge.leave()
                            // A released permit may go to a queued waiter; it counts as handed on.
                            limiter.release()?.permitGranted()
                        }
                    }
                }
            }
        }
        #expect(limiter.maxHeld <= 3)
        #expect(gauge.maximum <= 3)
    }

    @Test func schedulerRunsActionsInDeadlineOrder() async {
        let scheduler = DelayScheduler()
        let log = Log()
        let now = ContinuousClock.now
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            for (i, ms) in [30, 10, 20].enumerated() {
                scheduler.schedule(at: now + .milliseconds(ms)) {
                    let count = log.entries.withLock { $0.append(i); return $0.count }
                    if count == 3 { done.resume() }
                }
            }
        }
        #expect(log.entries.withLock { $0 } == [1, 2, 0])
        #expect(ContinuousClock.now - now >= .milliseconds(30))
        scheduler.stop()
    }

    @Test func rendererFillsVariablesCookiesAndCSRF() throws {
        let renderer = StepRenderer(baseURL: "http://127.0.0.1:9/", apiPrefix: "/api/v2", requestTimeoutMs: 1000)
        let identity = ClientIdentity(index: 3, runID: "ab12", prefix: "loaduser", domain: "example.com", password: "pw")
        var state = ClientState(identity: identity, seed: 1)
        state.jar.store(setCookie: "csrf_token=tok123; Path=/", requestURL: "http://127.0.0.1:9/api/v2/auth/login")
        state.jar.store(setCookie: "access_token=secret; Path=/; HttpOnly", requestURL: "http://127.0.0.1:9/api/v2/auth/login")
        state.variables = ["script_id": "a b", "name": #"say "hi""#]
        let template = RequestTemplate(
            method: "PUT", path: "/api/v1/scripts/{{script_id}}", query: [QueryItem("who", "{{vu.username}}")],
            headers: [HTTPHeader("Content-Type", "application/json"), HTTPHeader("Cookie", "stale=1"), HTTPHeader("X-Run", "{{run.id}}")],
            body: BodyTemplate(text: #"{"name":"{{name}}","email":"{{vu.email}}"}"#, contentType: "application/json"))
        let rendered = renderer.render(template, state: &state)
        let request = rendered.request
        #expect(rendered.unresolved.isEmpty)
        #expect(request.url == "http://127.0.0.1:9/api/v2/scripts/a%20b?who=loaduser_3_ab12")
        #expect(rendered.template.path == "/api/v2/scripts/a%20b")
        let body = String(decoding: request.body, as: UTF8.self)
        #expect(body == #"{"name":"say \"hi\"","email":"loaduser_3_ab12@example.com"}"#)
        #expect(request.headers.value(named: "x-csrf-token") == "tok123")
        #expect(rendered.template.headers.value(named: "x-csrf-token") == "{{cookie.csrf_token}}")
        #expect(request.headers.value(named: "x-run") == "ab12")
        let cookie = try #require(request.headers.value(named: "cookie"))
        #expect(cookie.contains("csrf_token=tok123") && cookie.contains("access_token=secret") && !cookie.contains("stale"))
        #expect(request.timeoutMs == 1000)

        let plain = renderer.render(RequestTemplate(method: "GET", path: "/health"), state: &state, sendCookies: false)
        #expect(plain.request.headers.isEmpty)
    }

    /// #13: `headers.cookie-syntax` reaches the wire: a mutant's own Cookie header goes out after the jar's,
    /// and into the stored template (the curl); a user flow's template Cookie never does.
    @Test func aMutantsOwnCookieHeaderGoesOutAfterTheJars() throws {
        let renderer = StepRenderer(baseURL: "http://127.0.0.1:9", requestTimeoutMs: 1000)
        var state = ClientState(identity: ClientIdentity(index: 0, runID: "r", password: "pw"), seed: 1)
        state.jar.store(setCookie: "sid=live; Path=/", requestURL: "http://127.0.0.1:9/login")
        let template = RequestTemplate(method: "GET", path: "/items/{{item_id}}", headers: [HTTPHeader("Cookie", "a=b;;c=d")])
        let mutant = renderer.render(template, state: &state, sendCookies: true, unboundAs: "0")
        #expect(mutant.request.url == "http://127.0.0.1:9/items/0")
        #expect(mutant.request.headers.filter { HTTPHeader.namesEqual($0.name, "cookie") }.map(\.value) == ["sid=live", "a=b;;c=d"])
        #expect(mutant.template.headers.filter { HTTPHeader.namesEqual($0.name, "cookie") }.map(\.value) == ["a=b;;c=d"])
        let user = renderer.render(RequestTemplate(method: "GET", path: "/items/1", headers: [HTTPHeader("Cookie", "a=b")]), state: &state)
        #expect(user.request.headers.filter { HTTPHeader.namesEqual($0.name, "cookie") }.map(\.value) == ["sid=live"])
    }

    @Test func unknownVariablesAreReportedAndPathsAreSendable() {
        let renderer = StepRenderer(baseURL: "http://h", requestTimeoutMs: 0)
        var state = ClientState(identity: ClientIdentity(index: 0, runID: "r", prefix: "u", domain: "d", password: "p"))
        let rendered = renderer.render(RequestTemplate(method: "GET", path: "/api/v1/x/{{missing}}/ y#"), state: &state)
        #expect(rendered.unresolved == ["missing"] && !rendered.isSendable)
        #expect(rendered.request.url == "http://h/api/v1/x/%7B%7Bmissing%7D%7D/%20y%23")
        let encoded = renderer.render(RequestTemplate(method: "GET", path: "/c/%7b%7Bcontent_id%7D%7d/x"), state: &state)
        #expect(encoded.unresolved == ["content_id"])
        let literal = RequestTemplate(method: "POST", path: "/alerts", body: BodyTemplate(text: "{{ $labels.job }} is down", contentType: "text/plain"))
        #expect(renderer.render(literal, state: &state).isSendable)
        #expect(StepRenderer.sendable("/a/%2e%2e/b;c") == "/a/%2e%2e/b;c")
    }

    @Test func generatedValuesFollowTheSeed() {
        var a = SeededGenerator(seed: 7)
        var b = SeededGenerator(seed: 7)
        let identity = ClientIdentity(index: 0, runID: "r")
        let u1 = BuiltinVariables.value(of: "random.uuid", identity: identity, cookie: { _ in nil }, random: &a) ?? ""
        #expect(u1 == BuiltinVariables.value(of: "random.uuid", identity: identity, cookie: { _ in nil }, random: &b))
        #expect(u1.count == 36 && Array(u1)[14] == "4")
    }

    @Test func extractorReadsJSONHeadersCookiesAndRegex() {
        var state = ClientState(identity: ClientIdentity(index: 0, runID: "r"))
        let response = EngineResponse(
            status: 200, headers: [HTTPHeader("Location", "/api/v1/scripts/77"), HTTPHeader("Set-Cookie", "csrf_token=c1")],
            body: Array(#"{"execution_id":"e-9","nested":{"n":5}}"#.utf8))
        let missing = StepRenderer.absorb(
            response,
            extract: [
                ExtractRule(variable: "eid", source: .json, expression: "/execution_id"),
                ExtractRule(variable: "n", source: .json, expression: "/nested/n"),
                ExtractRule(variable: "sid", source: .header, expression: "location", pattern: "scripts/(\\d+)"),
                ExtractRule(variable: "csrf", source: .cookie, expression: "csrf_token"),
                ExtractRule(variable: "rx", source: .regex, expression: "\"e-(\\d)\""),
                ExtractRule(variable: "none", source: .json, expression: "/absent"),
            ], requestURL: "http://h/", into: &state)
        #expect(state.variables == ["eid": "e-9", "n": "5", "sid": "77", "csrf": "c1", "rx": "9"])
        #expect(missing == ["none"])
    }

    @Test func planTakesIdentityStepsOutOfSessions() {
        let renderer = StepRenderer(baseURL: "http://h", requestTimeoutMs: 0)
        let plan = ReplayPlan(sessions: TestCorpus.sessions, autoRegister: true, renderer: renderer)
        #expect(plan.identity.filter { $0.step.role != nil }.map(\.endpoint) == ["POST /api/v1/auth/register", "POST /api/v1/auth/login"])
        #expect(plan.identity.last?.inLogin == true && plan.identity.first?.inLogin == false)
        #expect(plan.sessions.first?.steps.map(\.endpoint).contains("GET /api/v1/auth/me") == true)
        #expect(plan.recordedEndpoints.contains("DELETE /api/v1/scripts/{id}"))
        let noRegister = ReplayPlan(sessions: TestCorpus.sessions, autoRegister: false, renderer: renderer)
        #expect(noRegister.identity.allSatisfy { $0.step.role != .register } && noRegister.loginIndex == 0)
    }

    @Test func reportFileNameIsUTC() {
        let date = Date(timeIntervalSince1970: 1_735_787_045)  // 2025-01-02 03:04:05 UTC
        #expect(ReportWriter.fileName(mode: "both", startedAt: date) == "report_both_20250102_030405.json")
    }
}
