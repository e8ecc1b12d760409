import StampedeCore
import StampedeEngine
import StampedeHTTP
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Every test runs on both worker loops (`EngineLoop.socketAction` and `.perform`) until the
/// old one is removed.
@Suite("HTTPEngine against a loopback server")
struct EngineTests {
    let server: TestServer

    init() throws {
        server = try TestServer()
    }

    func makeEngine(_ loop: EngineLoop, workers: Int = 2, bodyPrefixLimit: Int = 65_536) throws -> HTTPEngine {
        try HTTPEngine(configuration: .init(workers: workers, bodyPrefixLimit: bodyPrefixLimit, loop: loop))
    }

    @Test(arguments: EngineLoop.allCases)
    func getEchoes(loop: EngineLoop) async throws {
        let engine = try makeEngine(loop)
        defer { engine.shutdown(); server.stop() }
        let response = await engine.send(EngineRequest(method: "GET", url: server.baseURL + "/echo/hello?x=1"))
        #expect(response.failure == nil)
        #expect(response.status == 200)
        #expect(response.header("x-method") == "GET")
        #expect(response.bodyText.hasPrefix("GET /echo/hello?x=1\n"))
        #expect(response.bodyBytes == response.body.count)
        #expect(response.newConnections == 1)
        #expect(response.timings.totalUs > 0)
        #expect(response.timings.ttfbUs <= response.timings.totalUs)
        #expect(response.latencyUs >= response.timings.totalUs)
    }

    @Test(arguments: EngineLoop.allCases, ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "brew", "M-SEARCH~"])
    func methodIsSentVerbatim(loop: EngineLoop, method: String) async throws {
        let engine = try makeEngine(loop)
        defer { engine.shutdown(); server.stop() }
        let response = await engine.send(EngineRequest(method: method, url: server.baseURL + "/echo", timeoutMs: 5_000))
        #expect(response.failure == nil)
        #expect(response.status == 200)
        #expect(response.header("X-Method") == method)
        if method == "HEAD" {
            #expect(response.bodyBytes == 0)
        } else {
            #expect(response.bodyText.hasPrefix("\(method) /echo\n"))
        }
        if ["POST", "PUT", "PATCH"].contains(method) {
            #expect(response.bodyText.contains("Content-Length: 0\n"))
        }
    }

    @Test(arguments: EngineLoop.allCases, ["POST", "PUT", "PATCH", "DELETE", "GET", "WEIRD"])
    func bodyRoundTrips(loop: EngineLoop, method: String) async throws {
        let engine = try makeEngine(loop)
        defer { engine.shutdown(); server.stop() }
        let body = (0..<3).flatMap { _ in (0...255).map { UInt8($0) } }
        let request = EngineRequest(
            method: method,
            url: server.baseURL + "/echo",
            headers: [HTTPHeader("X-Empty", ""), HTTPHeader("X-Trace", "abc")],
            body: body,
            timeoutMs: 5_000
        )
        let response = await engine.send(request)
        #expect(response.failure == nil)
        // The method survives a body (a GET with a body must not turn into a POST).
        #expect(response.header("X-Method") == method)
        #expect(response.header("X-Body-Length") == "\(body.count)")
        #expect(Array(response.body.suffix(body.count)) == body)
        let head = String(decoding: response.body.prefix(response.body.count - body.count), as: UTF8.self)
        #expect(head.contains("X-Empty: \n"))
        #expect(head.contains("X-Trace: abc\n"))
        // libcurl's own additions to a body are suppressed.
        #expect(!head.lowercased().contains("content-type"))
        #expect(!head.lowercased().contains("expect"))
    }

    @Test(arguments: EngineLoop.allCases)
    func bodyPrefixIsBoundedButEveryByteIsCounted(loop: EngineLoop) async throws {
        defer { server.stop() }
        let small = try makeEngine(loop, workers: 1, bodyPrefixLimit: 16)
        defer { small.shutdown() }
        let body = [UInt8](repeating: 0x61, count: 200_000)
        let response = await small.send(EngineRequest(method: "POST", url: server.baseURL + "/echo", body: body))
        #expect(response.status == 200)
        #expect(response.body.count == 16)
        #expect(response.body == Array("POST /echo\nHost:".utf8))
        #expect(response.bodyBytes > body.count)
    }

    @Test(arguments: EngineLoop.allCases)
    func theSmallestReceiveBufferStillDeliversEveryByte(loop: EngineLoop) async throws {
        defer { server.stop() }
        let engine = try HTTPEngine(configuration: .init(workers: 1, bodyPrefixLimit: 1 << 20, loop: loop, receiveBufferSize: 1_024))
        defer { engine.shutdown() }
        let body = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let response = await engine.send(EngineRequest(method: "POST", url: server.baseURL + "/echo", body: body))
        #expect(response.failure == nil)
        #expect(response.status == 200)
        #expect(response.bodyBytes == response.body.count)
        #expect(Array(response.body.suffix(body.count)) == body)
    }

    @Test
    func theReceiveBufferShrinksOnlyPastTheBudget() {
        #expect(EngineConfiguration.receiveBufferSize(forConcurrentTransfers: 0) == 16_384)
        #expect(EngineConfiguration.receiveBufferSize(forConcurrentTransfers: 256) == 16_384)
        #expect(EngineConfiguration.receiveBufferSize(forConcurrentTransfers: 1_000) == 4_096)
        #expect(EngineConfiguration.receiveBufferSize(forConcurrentTransfers: 2_000) == 2_048)
        #expect(EngineConfiguration.receiveBufferSize(forConcurrentTransfers: 2_049) == 1_024)
        #expect(EngineConfiguration.receiveBufferSize(forConcurrentTransfers: 10_000) == 1_024)
        #expect(EngineConfiguration.receiveBufferSize(forConcurrentTransfers: 1_000_000) == 1_024)
        for transfers in [1, 100, 1_500, 3_000, 9_999] {
            let size = EngineConfiguration.receiveBufferSize(forConcurrentTransfers: transfers)
            #expect(size % 1_024 == 0 && (size <= 16_384))
            #expect(size == 1_024 || size * transfers <= EngineConfiguration.receiveBufferBudget)
        }
    }

    @Test(arguments: EngineLoop.allCases)
    func cookiesFromOneResponseGoOutOnTheNext(loop: EngineLoop) async throws {
        let engine = try makeEngine(loop)
        defer { engine.shutdown(); server.stop() }
        var jar = CookieJar()
        let loginURL = server.baseURL + "/login"
        let login = await engine.send(EngineRequest(method: "POST", url: loginURL))
        #expect(login.setCookies.count == 2)
        jar.store(response: login, requestURL: loginURL)
        let token = try #require(jar.value(named: "csrf_token"))
        #expect(jar.value(named: "session") == "s-\(token)")

        let url = server.baseURL + "/echo/scripts"
        var headers: [HTTPHeader] = []
        if let cookie = jar.cookieHeader(for: url) { headers.append(HTTPHeader("Cookie", cookie)) }
        let csrf = try #require(CSRFPolicy().header(from: jar))
        #expect(csrf == HTTPHeader("X-CSRF-Token", token))
        headers.append(csrf)
        let echoed = await engine.send(EngineRequest(method: "POST", url: url, headers: headers, body: Array("{}".utf8)))
        #expect(echoed.bodyText.contains("Cookie: session=s-\(token); csrf_token=\(token)\n"))
        #expect(echoed.bodyText.contains("X-CSRF-Token: \(token)\n"))
    }

    @Test(arguments: EngineLoop.allCases)
    func sseStreamEndsByItself(loop: EngineLoop) async throws {
        let engine = try makeEngine(loop)
        defer { engine.shutdown(); server.stop() }
        let request = EngineRequest(url: server.baseURL + "/sse?count=3&interval=5", sse: SSEOptions(windowMs: 5_000, maxEvents: 10))
        let response = await engine.send(request)
        #expect(response.failure == nil)
        #expect(response.status == 200)
        let sse = try #require(response.sse)
        #expect(sse.eventCount == 3)
        #expect(sse.cutByWindow == false)
        #expect(sse.events == (0..<3).map { SSEEvent(event: "tick", data: "line1 \($0)\nline2", id: "\($0)") })
        let first = try #require(sse.timeToFirstEventUs)
        #expect(first <= response.timings.totalUs)
    }

    @Test(arguments: EngineLoop.allCases)
    func sseStreamIsCutAtTheWindow(loop: EngineLoop) async throws {
        let engine = try makeEngine(loop)
        defer { engine.shutdown(); server.stop() }
        let request = EngineRequest(url: server.baseURL + "/sse?count=0&interval=10", sse: SSEOptions(windowMs: 300, maxEvents: 2))
        let response = await engine.send(request)
        #expect(response.failure == nil)
        #expect(response.status == 200)
        let sse = try #require(response.sse)
        #expect(sse.cutByWindow)
        #expect(sse.events.count == 2)
        #expect(sse.eventCount > 2)
        #expect(response.timings.totalUs >= 200_000)  // waited for the limit (curl may fire a little early)
    }

    @Test(arguments: EngineLoop.allCases)
    func silentServerIsCutByTheTimeout(loop: EngineLoop) async throws {
        let engine = try makeEngine(loop)
        defer { engine.shutdown(); server.stop() }
        let response = await engine.send(EngineRequest(url: server.baseURL + "/hang", timeoutMs: 300))
        #expect(response.status == 0)
        #expect(response.failure?.name == "CURLE_OPERATION_TIMEDOUT")
        #expect(response.failure?.code == 28)
        #expect(response.timings.totalUs >= 200_000)  // waited for the limit (curl may fire a little early)
    }

    @Test(.timeLimit(.minutes(1)), arguments: EngineLoop.allCases)
    func cancellingTheTaskEndsSend(loop: EngineLoop) async throws {
        let engine = try makeEngine(loop)
        defer { engine.shutdown(); server.stop() }
        let started = server.requestCount
        // Ten minutes of timeout: only cancellation can end this send within the test's time limit.
        let task = Task { await engine.send(EngineRequest(url: server.baseURL + "/hang", timeoutMs: 600_000)) }
        let deadline = ContinuousClock.now + .seconds(10)
        while server.requestCount == started, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        try #require(server.requestCount > started)
        task.cancel()
        let response = await task.value
        #expect(response.status == 0)
        #expect(response.failure?.name == "CURLE_ABORTED_BY_CALLBACK")
    }

    @Test(arguments: EngineLoop.allCases)
    func sendInACancelledTaskIsNotSent(loop: EngineLoop) async throws {
        let engine = try makeEngine(loop)
        defer { engine.shutdown(); server.stop() }
        let started = server.requestCount
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await engine.send(EngineRequest(url: server.baseURL + "/echo/x"))
        }
        #expect(await task.value.failure?.name == "CURLE_ABORTED_BY_CALLBACK")
        #expect(server.requestCount == started)
    }

    @Test(arguments: EngineLoop.allCases)
    func sseWithoutAnyResponseIsATimeoutNotAWindowCut(loop: EngineLoop) async throws {
        let engine = try makeEngine(loop)
        defer { engine.shutdown(); server.stop() }
        let response = await engine.send(EngineRequest(url: server.baseURL + "/hang", sse: SSEOptions(windowMs: 200)))
        #expect(response.failure?.name == "CURLE_OPERATION_TIMEDOUT")
        #expect(response.sse?.cutByWindow == false)
    }

    @Test(arguments: EngineLoop.allCases)
    func refusedConnectionIsReported(loop: EngineLoop) async throws {
        let engine = try makeEngine(loop)
        defer { engine.shutdown(); server.stop() }
        let port = TestServer.refusedPort()
        let response = await engine.send(EngineRequest(url: "http://127.0.0.1:\(port)/", timeoutMs: 5_000))
        #expect(response.status == 0)
        #expect(response.failure?.name == "CURLE_COULDNT_CONNECT")
        #expect(response.failure?.message.isEmpty == false)
    }

    @Test(arguments: EngineLoop.allCases)
    func closeWithoutResponseIsGotNothing(loop: EngineLoop) async throws {
        let engine = try makeEngine(loop)
        defer { engine.shutdown(); server.stop() }
        let response = await engine.send(EngineRequest(url: server.baseURL + "/close", timeoutMs: 5_000))
        #expect(response.failure?.name == "CURLE_GOT_NOTHING")
    }

    @Test(arguments: EngineLoop.allCases)
    func malformedURLIsAFailureNotACrash(loop: EngineLoop) async throws {
        let engine = try makeEngine(loop)
        defer { engine.shutdown(); server.stop() }
        let response = await engine.send(EngineRequest(url: "http://[not a url", timeoutMs: 5_000))
        #expect(response.failure?.name == "CURLE_URL_MALFORMAT")
    }

    /// `separateConnections` requests never take a connection the others opened, nor the reverse;
    /// a `closesConnection` request's connection is not reused.
    @Test(arguments: EngineLoop.allCases)
    func separatePoolsAndClosedConnections(loop: EngineLoop) async throws {
        let engine = try makeEngine(loop, workers: 1)
        defer { engine.shutdown(); server.stop() }
        let url = server.baseURL + "/echo/pool"
        var apart = EngineRequest(url: url)
        apart.separateConnections = true
        var closing = EngineRequest(url: url)
        closing.closesConnection = true
        var opened: [Int] = []
        for request in [EngineRequest(url: url), apart, apart, EngineRequest(url: url), closing, EngineRequest(url: url), apart] {
            let response = await engine.send(request)
            #expect(response.status == 200)
            opened.append(response.newConnections)
        }
        #expect(opened == [1, 1, 0, 0, 0, 1, 0])
    }

    /// A keep-alive connection idle for longer than `connectionIdleSeconds` is closed, not reused,
    /// so a pool follows the recent load; one idle for less is reused. (The wait is the idle time
    /// under test, not synchronisation: libcurl judges idleness in whole seconds.)
    @Test func aConnectionIdleBeyondTheLimitIsNotReused() async throws {
        let engine = try HTTPEngine(configuration: .init(workers: 1, connectionIdleSeconds: 1))
        defer { engine.shutdown(); server.stop() }
        let url = server.baseURL + "/echo/idle"
        var opened: [Int] = []
        for pause in [0, 0, 2_100] {
            if pause > 0 { try await Task.sleep(for: .milliseconds(pause)) }
            let response = await engine.send(EngineRequest(url: url))
            #expect(response.status == 200)
            opened.append(response.newConnections)
        }
        #expect(opened == [1, 0, 1])
        #expect(server.acceptedConnections == 2)
    }

    @Test(arguments: EngineLoop.allCases)
    func connectionsAreReused(loop: EngineLoop) async throws {
        let engine = try makeEngine(loop)
        defer { engine.shutdown(); server.stop() }
        let total = 1_000, concurrency = 32
        let counters = Mutex((started: 0, finished: 0, newConnections: 0, failures: 0))
        let url = server.baseURL + "/echo/reuse"
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            @Sendable func next() {
                let go = counters.withLock { c -> Bool in
                    guard c.started < total else { return false }
                    c.started += 1
                    return true
                }
                guard go else { return }
                engine.submit(EngineRequest(url: url, timeoutMs: 10_000)) { response in
                    let finished = counters.withLock { c -> Bool in
                        c.finished += 1
                        c.newConnections += response.newConnections
                        if response.status != 200 { c.failures += 1 }
                        return c.finished == total
                    }
                    if finished { done.resume() } else { next() }
                }
            }
            for _ in 0..<concurrency { next() }
        }
        let result = counters.withLock { $0 }
        #expect(result.failures == 0)
        #expect(server.requestCount == total)
        #expect(server.acceptedConnections <= concurrency + 8)
        #expect(result.newConnections == server.acceptedConnections)
    }

    /// A burst, a pause with one request at a time (think time), the same burst: the pause must not
    /// close the burst's idle keep-alive connections (libcurl's default cache holds 4 × the
    /// transfers running now, 4 during the pause).
    @Test(arguments: EngineLoop.allCases)
    func aPauseInTheLoadKeepsIdleConnections(loop: EngineLoop) async throws {
        let engine = try makeEngine(loop, workers: 1)
        defer { engine.shutdown(); server.stop() }
        let burst = 16
        let url = server.baseURL + "/echo/pause"
        @Sendable func sendBurst() async -> [EngineResponse] {
            // One scheduled instant: the worker starts the whole burst in one round.
            let at = ContinuousClock.now + .milliseconds(200)
            return await withTaskGroup(of: EngineResponse.self) { group in
                for _ in 0..<burst { group.addTask { await engine.send(EngineRequest(url: url, timeoutMs: 10_000, scheduledAt: at)) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
        }
        let first = await sendBurst()
        for _ in 0..<12 {
            #expect(await engine.send(EngineRequest(url: url, timeoutMs: 10_000)).newConnections == 0)
        }
        let second = await sendBurst()
        #expect((first + second).allSatisfy { $0.status == 200 })
        // Never more connections than transfers at once; the second burst opens only what the
        // first did not (none when the first ran all 16 at once).
        #expect(server.acceptedConnections <= burst)
        #expect(first.reduce(0) { $0 + $1.newConnections } + second.reduce(0) { $0 + $1.newConnections } == server.acceptedConnections)
    }

    @Test(arguments: EngineLoop.allCases)
    func scheduledSendWaitsAndLatencyCountsFromSchedule(loop: EngineLoop) async throws {
        let engine = try makeEngine(loop)
        defer { engine.shutdown(); server.stop() }
        let at = ContinuousClock.now + .milliseconds(150)
        let later = await engine.send(EngineRequest(url: server.baseURL + "/echo", scheduledAt: at))
        #expect(ContinuousClock.now >= at)
        #expect(later.status == 200)
        #expect(later.startDelayUs < 1_000_000)

        // A send that starts late reports the lateness as latency (no coordinated omission).
        let past = ContinuousClock.now - .seconds(2)
        let late = await engine.send(EngineRequest(url: server.baseURL + "/echo", scheduledAt: past))
        #expect(late.status == 200)
        #expect(late.startDelayUs >= 2_000_000)
        #expect(late.latencyUs >= 2_000_000 + late.timings.totalUs)
    }

    @Test(arguments: EngineLoop.allCases)
    func shutdownFailsPendingTransfersAndLaterSubmits(loop: EngineLoop) async throws {
        let engine = try makeEngine(loop)
        defer { server.stop() }
        let pending = Mutex<EngineResponse?>(nil)
        let started = server.requestCount
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            engine.submit(EngineRequest(url: server.baseURL + "/hang")) { response in
                pending.withLock { $0 = response }
                done.resume()
            }
            // Let the request reach the server before shutting down; bounded wait on a condition.
            let deadline = ContinuousClock.now + .seconds(5)
            while server.requestCount == started, ContinuousClock.now < deadline { sched_yield() }
            engine.shutdown()
        }
        #expect(pending.withLock { $0 }?.failure?.name == "CURLE_ABORTED_BY_CALLBACK")
        engine.shutdown()  // idempotent
        let after = await engine.send(EngineRequest(url: server.baseURL + "/echo"))
        #expect(after.failure?.name == "CURLE_ABORTED_BY_CALLBACK")
        #expect(after.failure?.message == "engine shut down")
    }

    @Test(arguments: EngineLoop.allCases)
    func redirectIsReturnedNotFollowed(loop: EngineLoop) async throws {
        let engine = try makeEngine(loop)
        defer { engine.shutdown(); server.stop() }
        let response = await engine.send(EngineRequest(url: server.baseURL + "/redirect?to=/echo/next", timeoutMs: 5_000))
        #expect(response.failure == nil)
        #expect(response.status == 302)
        #expect(response.header("location") == "/echo/next")
        #expect(response.setCookies == ["hop=1; Path=/"])
        #expect(response.headers.value(named: "Location") == "/echo/next")
        #expect(server.requestCount == 1)
    }

    /// The server closes every connection after one response, so each request opens a new socket
    /// (often with a reused descriptor number): the socket callback must follow the change.
    @Test(arguments: EngineLoop.allCases)
    func socketsThatChangeAreFollowed(loop: EngineLoop) async throws {
        let engine = try makeEngine(loop, workers: 1)
        defer { engine.shutdown(); server.stop() }
        for _ in 0..<20 {
            let response = await engine.send(EngineRequest(url: server.baseURL + "/oneshot", timeoutMs: 5_000))
            #expect(response.failure == nil)
            #expect(response.bodyText == "once")
        }
        #expect(server.acceptedConnections == 20)
    }

    /// Headers are kept raw and parsed on demand; every way of reading them agrees.
    @Test(arguments: EngineLoop.allCases)
    func lazilyParsedHeadersMatchTheFullList(loop: EngineLoop) async throws {
        let engine = try makeEngine(loop)
        defer { engine.shutdown(); server.stop() }
        let login = await engine.send(EngineRequest(method: "POST", url: server.baseURL + "/login", timeoutMs: 5_000))
        let all = login.headers
        #expect(all.first?.name == "Content-Length")
        #expect(login.setCookies == all.filter { HTTPHeader.namesEqual($0.name, "set-cookie") }.map(\.value))
        #expect(login.header("SET-COOKIE") == login.setCookies.first)
        #expect(login.header("x-absent") == nil)
        var rebuilt = login
        rebuilt.headers = all
        #expect(rebuilt == login)
    }
}
