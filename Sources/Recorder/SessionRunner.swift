import Correlation
import Foundation
public import StampedeCore
public import StampedeEngine
import StampedeHTTP

/// Replays a recorded session as one client over `HTTPEngine`.
///
/// It renders each step's templates (extracted variables, built-ins, `cookie.NAME` from the
/// client's jar), sends it, stores cookies, applies the step's extract rules, reads SSE steps for
/// their window and repeats polled steps until a terminal value. The recorder uses it to verify a
/// recording; the parts are public so a load generator can drive them from engine callbacks:
///
/// ```swift
/// let runner = SessionRunner(engine: engine, baseURL: "http://127.0.0.1:8000")
/// var state = ClientState(identity: ClientIdentity(index: 1, runID: "r1"))
/// let outcome = await runner.run(session, state: &state)
///
/// // or, step by step from callbacks:
/// let prepared = runner.prepare(step, state: state)          // HTTPRequest + unresolved names
/// engine.submit(prepared.request) { response in
///     SessionRunner.absorb(response, of: step, requestURL: prepared.request.url, into: &state)
///     let verdict = SessionRunner.verdict(for: step, response: response, unresolved: prepared.unresolved)
/// }
/// ```
public struct SessionRunner: Sendable {
    /// Settings of a runner.
    public struct Options: Sendable {
        /// Whole-request timeout in milliseconds (SSE steps use their window instead).
        public var timeoutMs: Int
        /// SSE read window when the step does not set one.
        public var sseWindowMs: Int
        /// When set, an unsafe request (not GET/HEAD/OPTIONS) without the policy's header gets it
        /// from the jar's cookie, as a browser app would add it.
        public var csrf: CSRFPolicy?
        /// Caps polled steps' pause (tests and verification need not wait the recorded interval).
        public var maxPollIntervalMs: Int

        public init(timeoutMs: Int = 30_000, sseWindowMs: Int = 8_000, csrf: CSRFPolicy? = CSRFPolicy(), maxPollIntervalMs: Int = 1_000) {
            self.timeoutMs = timeoutMs
            self.sseWindowMs = sseWindowMs
            self.csrf = csrf
            self.maxPollIntervalMs = maxPollIntervalMs
        }
    }

    /// A rendered request and the variables it could not resolve.
    public struct PreparedRequest: Sendable {
        public var request: HTTPRequest
        /// Names still written as `{{name}}` in the request (sent as is).
        public var unresolved: [String]
    }

    public let engine: HTTPEngine
    /// The target's base URL without a trailing slash (`http://127.0.0.1:8000`).
    public let baseURL: String
    public let options: Options

    public init(engine: HTTPEngine, baseURL: String, options: Options = .init()) {
        self.engine = engine
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.options = options
    }

    /// Replays every step of `session` in order with `state`, updating it.
    public func run(_ session: Session, state: inout ClientState) async -> SessionOutcome {
        var outcomes: [StepOutcome] = []
        for (index, step) in session.steps.enumerated() {
            outcomes.append(await runStep(step, index: index, state: &state))
        }
        return SessionOutcome(sessionID: session.id, steps: outcomes)
    }

    /// Replays `session` as a fresh client with this identity (empty jar, no variables).
    public func run(_ session: Session, identity: ClientIdentity, secrets: [String: String] = [:]) async -> SessionOutcome {
        var state = ClientState(identity: identity, secrets: secrets)
        return await run(session, state: &state)
    }

    /// Sends one step (repeating it when it polls) and absorbs its response into `state`.
    public func runStep(_ step: Step, index: Int, state: inout ClientState) async -> StepOutcome {
        let endpoint = step.endpoint ?? EndpointTemplate.key(method: step.request.method, path: step.request.path)
        var attempts = 0
        var prepared = prepare(step, state: state)
        var response = await engine.send(prepared.request)
        attempts += 1
        Self.absorb(response, of: step, requestURL: prepared.request.url, into: &state)
        if let poll = step.poll {
            while attempts < poll.maxAttempts, response.failure == nil, !Self.pollFinished(poll, response: response) {
                try? await Task.sleep(for: .milliseconds(min(poll.intervalMs, options.maxPollIntervalMs)))
                prepared = prepare(step, state: state)
                response = await engine.send(prepared.request)
                attempts += 1
                Self.absorb(response, of: step, requestURL: prepared.request.url, into: &state)
            }
        }
        return StepOutcome(index: index, endpoint: endpoint, verdict: Self.verdict(for: step, response: response, unresolved: prepared.unresolved), response: response, attempts: attempts)
    }

    /// Renders a step's request for `state`: URL, headers (`Cookie` from the jar, the CSRF
    /// header when configured), body.
    public func prepare(_ step: Step, state: ClientState) -> PreparedRequest {
        let template = step.request
        var unresolved: [String] = []
        func render(_ text: String, encode: (String) -> String) -> String {
            let rendered = Template.render(text) { name in state.lookup(name).map(encode) }
            for name in Template.variables(in: rendered) where !unresolved.contains(String(name)) { unresolved.append(String(name)) }
            return rendered
        }
        let path = render(template.path) { $0.contains("/") ? $0 : PercentEncoding.encode($0) }
        var url = baseURL + (path.hasPrefix("/") ? path : "/" + path)
        if !template.query.isEmpty {
            let items = template.query.map { item in
                QueryItem(render(item.name) { $0 }, item.value.map { render($0) { $0 } })
            }
            url += "?" + QueryItem.encode(items)
        }
        var headers = template.headers.map { HTTPHeader($0.name, render($0.value) { $0 }) }
        if let cookie = state.cookies.cookieHeader(for: url) { headers.append(HTTPHeader("Cookie", cookie)) }
        let method = template.method
        if let csrf = options.csrf, !["GET", "HEAD", "OPTIONS"].contains(method.uppercased()),
            !headers.contains(where: { $0.name.lowercased() == csrf.headerName.lowercased() }),
            let header = csrf.header(from: state.cookies)
        {
            headers.append(header)
        }
        var body: [UInt8] = []
        if let bodyTemplate = template.body {
            if let text = bodyTemplate.text {
                let media = (bodyTemplate.contentType ?? template.header("content-type") ?? "").lowercased()
                let encode: (String) -> String =
                    media.contains("json") ? JSONValue.escapedStringContent
                    : media.contains("x-www-form-urlencoded") ? { PercentEncoding.encode($0) } : { $0 }
                body = Array(render(text, encode: encode).utf8)
            } else {
                body = bodyTemplate.rawBytes
            }
            if let contentType = bodyTemplate.contentType, !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
                headers.append(HTTPHeader("Content-Type", contentType))
            }
        }
        var request = HTTPRequest(method: method, url: url, headers: headers, body: body, timeoutMs: options.timeoutMs)
        if let stream = step.stream {
            request.sse = SSEOptions(windowMs: stream.windowSeconds.map { Int($0 * 1000) } ?? options.sseWindowMs)
        }
        return PreparedRequest(request: request, unresolved: unresolved)
    }

    /// Stores the response's cookies and binds the step's extract rules into `state`.
    public static func absorb(_ response: HTTPResponse, of step: Step, requestURL: String, into state: inout ClientState) {
        state.cookies.store(response: response, requestURL: requestURL)
        for rule in step.extract {
            if let value = extract(rule, from: response) { state.variables[rule.variable] = value }
        }
    }

    /// The value an extract rule binds from a response, or nil when it is not there (cookies from
    /// the response's own Set-Cookie headers).
    public static func extract(_ rule: ExtractRule, from response: HTTPResponse) -> String? {
        var view = view(of: response)
        return view.value(of: rule)
    }

    /// Whether a polled step's response holds a terminal value.
    public static func pollFinished(_ poll: PollOptions, response: HTTPResponse) -> Bool {
        var view = view(of: response)
        return view.finishes(poll)
    }

    static func view(of response: HTTPResponse) -> ResponseView {
        ResponseView(
            body: response.body, header: { response.header($0) },
            cookie: { name in
                response.setCookies.lazy.compactMap { header -> String? in
                    let first = header.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
                    guard let pair = CookieText.pairs(first).first, pair.name == name else { return nil }
                    return pair.value
                }.first
            })
    }

    /// Judges a response against the step's recorded expectation.
    public static func verdict(for step: Step, response: HTTPResponse, unresolved: [String]) -> StepOutcome.Verdict {
        if !unresolved.isEmpty { return .unresolved(unresolved) }
        if response.status == 0 { return .transport(response.failure?.name ?? "no response") }
        if let expect = step.expect, response.status / 100 != expect.statusClass {
            return .statusDiffers(expected: expect.statusClass, got: response.status)
        }
        return .matched
    }
}
