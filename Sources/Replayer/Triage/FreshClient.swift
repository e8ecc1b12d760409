import APISpec
import Mutator
import StampedeClient
import StampedeCore
import StampedeEngine

/// A brand-new virtual client for triage: empty jar, no variables, its own identity. It runs a
/// crash's context steps (log in, create the object a path refers to…) and then one candidate,
/// through the client core.
struct FreshClient {
    let client: StepClient
    var state: ClientState
    /// The login group's steps, replayed once when a candidate finds the session gone.
    var login: [Step] = []
    /// Judges answers for conformance too (`--openapi`).
    var spec: SpecRun?

    /// SSE context steps read at most this long: only their extract rules matter here.
    static let contextStreamWindowMs = 1_000
    /// Polled context steps wait at most this long between attempts.
    static let maxPollIntervalMs = 200

    init(renderer: StepRenderer, engine: HTTPEngine, sources: VariableSources, identity: ClientIdentity, seed: UInt64) {
        var renderer = renderer
        renderer.sseWindowMs = Self.contextStreamWindowMs
        client = StepClient(engine: engine, renderer: renderer, sources: sources, maxPollIntervalMs: Self.maxPollIntervalMs)
        state = ClientState(identity: identity, seed: seed, stream: 0x7472_6961_6765)
    }

    /// Runs context steps in order, binding their extract rules; returns false when one of them
    /// failed at the transport level or was unresolved (the candidate is still worth sending).
    mutating func run(context: [Step]) async -> Bool {
        var ok = true
        for (index, step) in context.enumerated() {
            var step = step
            if step.stream != nil { step.stream?.windowSeconds = Double(Self.contextStreamWindowMs) / 1000 }
            let outcome = await client.run(step, index: index, state: &state)
            if outcome.response.failure != nil || outcome.failureClass == .unresolved { ok = false }
        }
        return ok
    }

    /// Sends one candidate with the client's state and observes the answer. When the answer says
    /// the session is gone (401/403 to a request recorded as 2xx/3xx) and `login` steps are known,
    /// the client logs in again once and re-sends. With `negative`, a 2xx is a `negative-accepted`
    /// finding only while the candidate as rendered still breaks its constraint.
    mutating func send(_ candidate: MutatedRequest, expectClass: Int?, routes: RouteTable, negative: NegativeCheck? = nil) async -> TriageObservation {
        var (rendered, response) = await client.send(candidate.request, state: &state, sendCookies: !candidate.dropCookies, ownCookie: true)
        if let status = response?.status, let expectClass, !candidate.dropCookies, !login.isEmpty,
            StepRenderer.sessionLost(status: status, expectClass: expectClass)
        {
            _ = await run(context: login)
            (rendered, response) = await client.send(candidate.request, state: &state, sendCookies: true, ownCookie: true)
        }
        var observed = TriageObservation(
            response: response, rendered: rendered,
            route: routes.route(of: client.renderer.rewrite(path: candidate.request.path)))
        if observed.failureClass == nil, let spec, let response,
            let violation = spec.checker.check(
                response, to: rendered.request,
                brokenConstraint: negative?.constraint(ifBrokenBy: rendered.template))
        {
            observed.failureClass = .conformance
            observed.failure = violation.text
            observed.bodyCheck = violation.bodyCheck
        }
        return observed
    }
}
