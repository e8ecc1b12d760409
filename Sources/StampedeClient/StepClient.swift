public import StampedeCore
public import StampedeEngine

/// Sends steps for one client from async code (record verification, `check`, triage): render,
/// refuse to send what is unresolved, send through the engine, absorb the answer, repeat polled
/// steps, judge against the recording. Load clients drive the same `StepRenderer` from engine
/// callbacks instead.
///
/// ```swift
/// let client = StepClient(engine: engine, renderer: StepRenderer(baseURL: url, secrets: secrets, requestTimeoutMs: 10_000),
///                         sources: VariableSources(sessions: sessions))
/// var state = ClientState(identity: ClientIdentity(index: 1, runID: "r1", password: load.userPassword))
/// let outcome = await client.run(session, state: &state)
/// ```
public struct StepClient: Sendable {
    /// The engine requests go through.
    public let engine: HTTPEngine
    /// Renders each step for the client.
    public let renderer: StepRenderer
    /// Explains unresolved variables.
    public let sources: VariableSources
    /// Caps polled steps' pause (verification and triage need not wait the recorded interval).
    public var maxPollIntervalMs: Int

    /// A client core over `engine`.
    public init(engine: HTTPEngine, renderer: StepRenderer, sources: VariableSources = VariableSources(sessions: []), maxPollIntervalMs: Int = 1_000) {
        self.engine = engine
        self.renderer = renderer
        self.sources = sources
        self.maxPollIntervalMs = maxPollIntervalMs
    }

    /// Sends every step of `session` in order with `state`, updating it.
    public func run(_ session: Session, state: inout ClientState) async -> SessionOutcome {
        var outcomes: [StepOutcome] = []
        for (index, step) in session.steps.enumerated() {
            outcomes.append(await run(step, index: index, session: session.id, state: &state))
        }
        return SessionOutcome(sessionID: session.id, steps: outcomes)
    }

    /// Sends one step (repeating it while it polls) and absorbs its answers into `state`; an
    /// unresolved step is not sent.
    public func run(_ step: Step, index: Int, session: String? = nil, state: inout ClientState) async -> StepOutcome {
        let endpoint = step.endpoint ?? EndpointTemplate.key(method: step.request.method, path: step.request.path)
        var attempts = 0
        while true {
            let rendered = renderer.render(step, state: &state)
            guard rendered.isSendable else {
                let unresolved = rendered.unresolved.map { sources.explain($0, session: session) }
                return StepOutcome(
                    index: index, endpoint: endpoint, verdict: .unresolved(unresolved), response: EngineResponse(), attempts: attempts,
                    request: rendered.redactedRequest, failureClass: .unresolved)
            }
            let response = await engine.send(rendered.request)
            attempts += 1
            StepRenderer.absorb(response, extract: step.extract, requestURL: rendered.request.url, into: &state)
            if let poll = step.poll, attempts < poll.maxAttempts, StepRenderer.pollContinues(poll, response: response) {
                try? await Task.sleep(for: .milliseconds(min(max(0, poll.intervalMs), maxPollIntervalMs)))
                continue
            }
            let (verdict, failureClass) = StepOutcome.judge(response, expectClass: step.expect?.statusClass)
            return StepOutcome(
                index: index, endpoint: endpoint, verdict: verdict, response: response, attempts: attempts,
                request: rendered.redactedRequest, failureClass: failureClass)
        }
    }

    /// Sends one template as it is (a `check` variant, a triage candidate): rendered for `state`,
    /// not sent when unresolved (the response is then nil). Cookies go into the jar. `ownCookie` as in
    /// ``StepRenderer/render(_:state:sendCookies:ownCookie:)``.
    public func send(
        _ template: RequestTemplate, state: inout ClientState, sendCookies: Bool = true, ownCookie: Bool = false
    ) async -> (RenderedRequest, EngineResponse?) {
        let rendered = renderer.render(template, state: &state, sendCookies: sendCookies, ownCookie: ownCookie)
        guard rendered.isSendable else { return (rendered, nil) }
        let response = await engine.send(rendered.request)
        state.jar.store(response: response, requestURL: rendered.request.url)
        return (rendered, response)
    }
}
