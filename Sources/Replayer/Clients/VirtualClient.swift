import APISpec
import Foundation
import Mutator
import StampedeClient
import StampedeCore
import StampedeEngine
import StampedeHTTP
import Synchronization

/// One virtual client: its own cookie jar, variables, identity and random stream, driven as a
/// state machine from engine completions.
///
/// A client has at most one request in flight. Its loop: ask the limiter for a permit (or park
/// in its queue) → render and submit the next request → in the completion, record metrics,
/// update the state, give the permit back and ask again (after a pause through the delay
/// scheduler when the step wants one). No thread ever blocks on a client.
final class VirtualClient: PermitWaiter {
    enum Phase: Sendable {
        /// Next identity step (register, login).
        case identity(Int)
        /// Plan session, step within it, poll attempt.
        case session(Int, Int, Int)
        /// Sending mutants.
        case monkey
        case done
    }

    /// What the request in flight was, so its completion knows what to do.
    enum Origin: Sendable {
        case identity(Int)
        case session(Int, Int, Int)
        case mutant(Mutant)

        var isMutant: Bool {
            if case .mutant = self { return true }
            return false
        }
    }

    struct Pending: Sendable {
        var origin: Origin
        /// The rendered template (secrets kept as placeholders), for findings.
        var rendered: RequestTemplate
        var request: EngineRequest
        var endpoint: String
        var expectClass: Int?
        /// Variables nothing resolved: the request is not sent.
        var unresolved: [String]
    }

    struct State: Sendable {
        var phase: Phase
        var client: ClientState
        var requests = 0
        var needsLogin = false
        /// Running the identity steps again: only the login group's.
        var relogging = false
        var lastReloginAt = Int.min / 2
        var scheduledAt: ContinuousClock.Instant?
        var finished = false
    }

    let kind: ClientKind
    let index: Int
    let identity: ClientIdentity
    let shard: Int
    /// Whether the client establishes an identity first (all users, half the monkeys).
    let loggedIn: Bool
    private let context: RunContext
    private let state: Mutex<State>

    init(kind: ClientKind, index: Int, loggedIn: Bool, context: RunContext) {
        self.kind = kind
        self.index = index
        self.context = context
        let load = context.options.load
        identity = ClientIdentity(
            index: index, runID: context.options.runID, prefix: load.userPrefix, domain: load.userDomain,
            password: load.userPassword)
        shard = index
        self.loggedIn = loggedIn
        let phase: Phase
        if loggedIn && !context.plan.identity.isEmpty {
            phase = .identity(0)
        } else {
            phase = kind == .monkey ? .monkey : .done  // user clients pick a session on start
        }
        state = Mutex(State(phase: phase, client: ClientState(identity: identity, seed: context.options.seed)))
    }

    /// Starts the loop.
    func start() {
        if kind == .user {
            state.withLock { s in
                if case .done = s.phase { s.phase = self.nextSessionPhase(&s) }
            }
        }
        requestPermit()
    }

    var requestCount: Int { state.withLock { $0.requests } }

    // MARK: - Loop

    private func requestPermit() {
        if context.isStopping { return finish() }
        if let pacer = context.pacer {
            let slot = pacer.nextSlot()
            if slot >= context.deadline { return finish() }
            state.withLock { $0.scheduledAt = slot }
            if slot > .now + .milliseconds(1) {
                context.scheduler.schedule(at: slot) { [self] in
                    if context.limiter.acquire(or: self) { permitGranted() }
                }
                return
            }
        }
        if context.limiter.acquire(or: self) { permitGranted() }
    }

    func permitGranted() {
        if context.isStopping {
            context.limiter.releaseAndResume()
            return finish()
        }
        guard let pending = state.withLock({ prepare(&$0) }) else {
            context.limiter.releaseAndResume()
            return finish()
        }
        guard pending.unresolved.isEmpty else { return unsent(pending) }
        context.gauge.enter()
        context.engine.submit(pending.request) { [self] response in
            completed(response, pending)
        }
    }

    private func completed(_ response: EngineResponse, _ pending: Pending) {
        context.gauge.leave()
        if context.isClosed { return }
        let now = ContinuousClock.now
        record(response, pending, at: now)
        let delay = state.withLock { absorb(response, pending, &$0) }
        context.limiter.releaseAndResume()
        if context.isStopping { return finish() }
        if let delay {
            context.scheduler.schedule(after: delay) { [self] in requestPermit() }
        } else {
            requestPermit()
        }
    }

    private func finish() {
        state.withLock { $0.finished = true }
    }


    // MARK: - Choosing and rendering the next request

    private func prepare(_ s: inout State) -> Pending? {
        // A few hops at most: identity done → session, or an empty plan → done.
        for _ in 0..<4 {
            switch s.phase {
            case .done:
                return nil
            case .identity(var i):
                // A re-login runs the login group only (not the sign-up).
                while s.relogging, i < context.plan.identity.count, !context.plan.identity[i].inLogin { i += 1 }
                guard i < context.plan.identity.count else {
                    s.relogging = false
                    s.phase = kind == .monkey ? .monkey : nextSessionPhase(&s)
                    continue
                }
                s.phase = .identity(i)
                return pending(for: context.plan.identity[i], origin: .identity(i), &s)
            case .session(let si, let k, let attempt):
                let planned = context.plan.sessions[si].steps[k]
                return pending(for: planned, origin: .session(si, k, attempt), &s)
            case .monkey:
                guard let mutator = context.mutator else {
                    s.phase = .done
                    return nil
                }
                return pending(for: mutator, &s)
            }
        }
        return nil
    }

    private func pending(for mutator: Mutator, _ s: inout State) -> Pending {
        var (mutant, rendered) = renderMutant(mutator, &s)
        // A mutant the engine would refuse (another host, an injected header line) is dropped and counted.
        for _ in 0..<8 where context.engine.refusal(for: rendered.request) != nil {
            context.mutantsRefused.wrappingAdd(1, ordering: .relaxed)
            (mutant, rendered) = renderMutant(mutator, &s)
        }
        var sent = rendered.request
        sent.scheduledAt = s.scheduledAt
        s.scheduledAt = nil
        s.requests += 1
        // Garbage never shares a connection with user flows; one that may switch the server's protocol
        // (CONNECT, Upgrade) is not reused at all: some servers stop parsing HTTP on that connection.
        sent.separateConnections = true
        sent.closesConnection = Self.mayLeaveHTTP(sent)
        let parent = context.plan.corpusSessions[mutant.parentSession].steps[mutant.parentStep]
        return Pending(
            origin: .mutant(mutant), rendered: rendered.template, request: sent,
            endpoint: mutantEndpoint(mutant, rendered.template), expectClass: parent.expect?.statusClass,
            unresolved: rendered.unresolved)
    }

    private func renderMutant(_ mutator: Mutator, _ s: inout State) -> (Mutant, RenderedRequest) {
        // First-pass mutants that need an ID this monkey has not extracted yet wait for one that has;
        // a monkey that skipped the login leaves the first pass to the logged-in ones.
        let variables = s.client.variables
        let bound: (String) -> Bool = { variables[$0] != nil }
        let planned = loggedIn || context.plan.identity.isEmpty
        var mutant: Mutant
        if let scheduled = schemaPlanned(takesPlan: planned, requests: s.requests, bound: bound) {
            mutant = scheduled
        } else {
            mutant = mutator.nextMutant(seed: s.client.rng.next(), bound: bound, takesFirstPass: planned)
            for _ in 0..<8 where context.isQuarantined(method: mutant.request.method) {
                mutant = mutator.nextMutant(seed: s.client.rng.next(), bound: bound, takesFirstPass: planned)
            }
            // With --openapi, half the mutants of a spec operation are its schema requests (SpecFuzz).
            if let spec = context.options.spec {
                mutant = spec.family.replacing(mutant, firstSpecSession: context.plan.firstSpecSession(of: spec), learned: mutator)
            }
        }
        // A variable this monkey has not bound is sent as `0` (an ID that does not exist), never as braces.
        let rendered = context.renderer.render(
            mutant.request, state: &s.client, sendCookies: !mutant.dropCookies, unboundAs: Self.unboundPlaceholder)
        return (mutant, rendered)
    }

    /// With --openapi, every other request of a logged-in monkey takes the schema plan while it
    /// lasts (SpecFuzz: every case of every operation once, shared by all monkeys); a case that
    /// needs a variable this monkey has not bound waits for one that has.
    private func schemaPlanned(takesPlan: Bool, requests: Int, bound: (String) -> Bool) -> Mutant? {
        guard takesPlan, requests % 2 == 0, let spec = context.options.spec else { return nil }
        return spec.family.planned(firstSpecSession: context.plan.firstSpecSession(of: spec), bound: bound)
    }

    /// Whether a request may take its connection out of HTTP/1.1 on the server's side: a `CONNECT`
    /// (any case) or an `Upgrade` header. After `CONNECT … 405` or `Upgrade: websocket`, Hummingbird
    /// stops parsing requests on that connection.
    static func mayLeaveHTTP(_ request: EngineRequest) -> Bool {
        ASCII.equalsIgnoringCase(request.method, "CONNECT") || request.headers.contains { HTTPHeader.namesEqual($0.name, "Upgrade") }
    }

    /// A mutant is counted under its own template when that is a recorded endpoint, else under
    /// its parent's template marked `[mutated]`: mutated paths and methods would otherwise make
    /// an endless list of one-off endpoints.
    private func mutantEndpoint(_ mutant: Mutant, _ rendered: RequestTemplate) -> String {
        let key = EndpointTemplate.key(method: rendered.method, path: rendered.path)
        if context.recordedEndpoints.contains(key) { return key }
        let parent = context.plan.corpusSessions[mutant.parentSession].steps[mutant.parentStep].request
        return EndpointTemplate.key(method: parent.method, path: context.renderer.rewrite(path: parent.path)) + " [mutated]"
    }

    private func pending(for planned: ReplayPlan.PlannedStep, origin: Origin, _ s: inout State) -> Pending {
        let rendered = context.renderer.render(planned.step, state: &s.client)
        var request = rendered.request
        request.scheduledAt = s.scheduledAt
        s.scheduledAt = nil
        s.requests += 1
        return Pending(
            origin: origin, rendered: rendered.template, request: request, endpoint: planned.endpoint,
            expectClass: planned.step.expect?.statusClass, unresolved: rendered.unresolved)
    }

    private func nextSessionPhase(_ s: inout State) -> Phase {
        let sessions = context.plan.sessions
        guard !sessions.isEmpty else { return .done }
        if s.needsLogin, let login = context.plan.loginIndex {
            s.needsLogin = false
            s.relogging = true
            return .identity(login)
        }
        let pick = s.client.rng.pickWeighted(sessions.map(\.weight)) ?? 0
        return .session(pick, 0, 0)
    }

    /// A request with an unresolved variable is not sent: it is counted (per variable) as an
    /// `unresolved` failure, the client moves on, and pauses a little so a corpus whose every step
    /// is unresolved cannot spin.
    private func unsent(_ pending: Pending) {
        context.limiter.releaseAndResume()
        let now = ContinuousClock.now
        _ = context.noteUnresolved(pending.unresolved, session: sessionID(of: pending.origin))
        context.metrics.record(
            RequestObservation(
                kind: kind, flow: flow(of: pending.origin), endpoint: pending.endpoint, status: 0, transportFailure: nil,
                latencyMicroseconds: 0, bytesReceived: 0, failure: kind == .user ? .unresolved : nil, slow: false, sse: nil),
            shard: shard, at: now)
        state.withLock { s in
            switch s.phase {
            case .identity(let i): s.phase = .identity(i + 1)
            case .session: s.phase = nextSessionPhase(&s)
            case .monkey, .done: break
            }
        }
        if context.isStopping { return finish() }
        context.scheduler.schedule(after: Self.unsentPause) { [self] in requestPermit() }
    }

    /// What a monkey sends for a variable it has not bound.
    static let unboundPlaceholder = "0"

    /// The pause after a request left unsent.
    static let unsentPause: Duration = .milliseconds(20)

    /// The user flow a request counts for: its session's id (monkeys have none).
    private func flow(of origin: Origin) -> String? {
        kind == .user ? sessionID(of: origin) : nil
    }

    private func sessionID(of origin: Origin) -> String? {
        switch origin {
        case .identity(let i): context.plan.identity[i].sessionID
        case .session(let si, let k, _): context.plan.sessions[si].steps[k].sessionID
        case .mutant(let m): context.plan.corpusSessions[m.parentSession].id
        }
    }

    // MARK: - Completion

    private func record(_ response: EngineResponse, _ pending: Pending, at now: ContinuousClock.Instant) {
        var failure = FailureClass.classify(response, expectClass: pending.origin.isMutant ? nil : pending.expectClass)
        var conformance: ConformanceViolation?
        if let spec = context.options.spec, response.failure == nil {
            spec.coverage.record(
                method: pending.request.method, path: ConformanceChecker.path(ofURL: pending.request.url),
                template: templatePath(of: pending.origin), status: response.status)
            if failure == nil, let violation = spec.checker.check(response, to: pending.request, brokenConstraint: brokenConstraint(response, pending, spec)) {
                failure = .conformance
                conformance = violation
            }
        }
        let sse = response.sse.map {
            SSEObservation(events: $0.eventCount, timeToFirstEventMicroseconds: $0.timeToFirstEventUs, cutByWindow: $0.cutByWindow)
        }
        // An SSE stream's latency is its time to first byte; the stream itself is reported apart.
        let latency = sse != nil ? response.startDelayUs + response.timings.ttfbUs : response.latencyUs
        var slow = false
        if let slowMs = context.options.slowMs, latency > Int64(slowMs) * 1000 {
            slow = true
            if failure == nil { failure = .slow }
        }
        let observation = RequestObservation(
            kind: kind, flow: flow(of: pending.origin), endpoint: pending.endpoint, status: response.status,
            transportFailure: response.failure?.name, latencyMicroseconds: latency,
            bytesReceived: response.bodyBytes, failure: failure, slow: slow, sse: sse,
            serviceMicroseconds: latency - response.startDelayUs, startDelayMicroseconds: response.startDelayUs)
        context.metrics.record(observation, shard: shard, at: now)
        if let failure, failure.isFinding {
            noteFinding(response, pending, failure, text: conformance?.text, at: now)
        }
    }

    /// The constraint a negative schema request broke, for the opt-in `negative-accepted` check: only
    /// for a 2xx answer, and only when the request as rendered still breaks it.
    private func brokenConstraint(_ response: EngineResponse, _ pending: Pending, _ spec: SpecRun) -> String? {
        guard response.status / 100 == 2, spec.checker.checks.contains(.negativeAccepted), case .mutant(let m) = pending.origin,
            let check = spec.family.negativeCheck(of: m.operations, session: m.parentSession, firstSpecSession: context.plan.firstSpecSession(of: spec))
        else { return nil }
        return check.constraint(ifBrokenBy: pending.rendered)
    }

    /// The path of the template a request was rendered from (`/scripts/{{script_id}}`).
    private func templatePath(of origin: Origin) -> String {
        switch origin {
        case .identity(let i): context.plan.identity[i].step.request.path
        case .session(let si, let k, _): context.plan.sessions[si].steps[k].step.request.path
        case .mutant(let m): m.request.path
        }
    }

    private func noteFinding(
        _ response: EngineResponse, _ pending: Pending, _ failure: FailureClass, text: String?, at now: ContinuousClock.Instant
    ) {
        let text = text ?? RunContext.failureText(response, failureClass: failure, expectClass: pending.expectClass)
        // A conformance failure's text names the bug; the body (say the off-schema value) may vary.
        let signature = FailureSignature(
            method: pending.rendered.method, endpoint: pending.endpoint, failureClass: failure, failure: text,
            body: failure == .conformance ? [] : response.body)
        let plan = context.plan
        context.findings.record(
            signature: signature, failureClass: failure, failure: text, method: pending.rendered.method,
            endpoint: pending.endpoint, source: kind, at: now
        ) {
            var session = "", step = 0
            var seed: UInt64?
            var operations: [String] = []
            let template: RequestTemplate
            switch pending.origin {
            case .identity(let i):
                session = plan.identity[i].sessionID
                step = plan.identity[i].index
                template = plan.identity[i].step.request
            case .session(let si, let k, _):
                session = plan.sessions[si].steps[k].sessionID
                step = plan.sessions[si].steps[k].index
                template = plan.sessions[si].steps[k].step.request
            case .mutant(let m):
                session = plan.corpusSessions[m.parentSession].id
                step = m.parentStep
                seed = m.seed
                operations = m.operations.map(\.description)
                template = m.request
            }
            // Secrets never leave the client: the example shows them as $STAMPEDE_SECRET_NAME.
            let sent = context.renderer.secrets.redact(pending.request)
            let curl = CurlCommand.render(
                method: sent.method, url: sent.url, headers: sent.headers, body: sent.body, template: template)
            return FindingExample(
                session: session, stepIndex: step, seed: seed, operations: operations, request: pending.rendered,
                url: sent.url, curl: curl, status: response.status,
                responseExcerpt: context.renderer.secrets.redact(
                    response.failure?.message ?? String(decoding: response.body.prefix(300), as: UTF8.self)))
        } seed: {
            switch pending.origin {
            case .identity(let i):
                return TriageSeed(planned: plan.identity[i], plan: plan)
            case .session(let si, let k, _):
                return TriageSeed(planned: plan.sessions[si].steps[k], plan: plan)
            case .mutant(let m):
                return TriageSeed(
                    sessionIndex: m.parentSession, stepIndex: m.parentStep, mutantSeed: m.seed, operations: m.operations,
                    request: m.mutatedRequest)
            }
        }
    }

    /// Updates the state from a response; returns a pause to take before the next request.
    private func absorb(_ response: EngineResponse, _ pending: Pending, _ s: inout State) -> Duration? {
        // Discovery (#13): the mutator learns links and values from every response. Only the headers
        // it reads are looked up, so the lazily kept header block is not parsed whole per response.
        if let mutator = context.mutator {
            let headers = Self.discoveryHeaders.compactMap { name in response.header(name).map { HTTPHeader(name, $0) } }
            mutator.learn(from: ObservedResponse(status: response.status, headers: headers, body: response.body))
        }
        // A refused or reset connection: back off a little so a dead target is not spun on.
        let backoff: Duration? = response.failure != nil ? .milliseconds(50) : nil
        switch pending.origin {
        case .identity(let i):
            let step = context.plan.identity[i].step
            StepRenderer.absorb(response, extract: step.extract, requestURL: pending.request.url, into: &s.client)
            if response.failure != nil { return backoff }  // try the same identity step again
            s.phase = .identity(i + 1)
            return nil
        case .session(let si, let k, let attempt):
            return absorbSession(response, pending, si, k, attempt, &s) ?? backoff
        case .mutant(let mutant):
            let step = context.plan.corpusSessions[mutant.parentSession].steps[mutant.parentStep]
            StepRenderer.absorb(
                response, extract: response.status / 100 == 2 ? step.extract : [], requestURL: pending.request.url,
                into: &s.client)
            context.mutantsSent.wrappingAdd(1, ordering: .relaxed)
            if response.failure?.isTimeout == true { context.noteTimeout(method: mutant.request.method) }
            context.mutator?.feedback(
                mutant,
                outcome: MutationOutcome(endpoint: pending.endpoint, status: response.status, shape: Self.shape(response)))
            if response.failure != nil { return backoff }
            // A schema plan case answered 401/403/404 never reached its constraint: another monkey sends it again.
            if let spec = context.options.spec {
                spec.family.answered(mutant, status: response.status, firstSpecSession: context.plan.firstSpecSession(of: spec))
            }
            // A logged-in monkey whose session a mutant ended (say a logout) logs in again, but
            // not more than once per 20 requests so a garbage 401/403 cannot make it loop on login.
            if StepRenderer.sessionLost(status: response.status, expectClass: pending.expectClass), !mutant.dropCookies,
                let login = context.plan.loginIndex, s.requests - s.lastReloginAt > 20, loggedIn
            {
                s.lastReloginAt = s.requests
                context.relogins.wrappingAdd(1, ordering: .relaxed)
                s.relogging = true
                s.phase = .identity(login)
            }
            return nil
        }
    }

    /// A user session step's answer: extract, poll again, log in again, or go on.
    private func absorbSession(_ response: EngineResponse, _ pending: Pending, _ si: Int, _ k: Int, _ attempt: Int, _ s: inout State) -> Duration? {
        let planned = context.plan.sessions[si].steps[k]
        if response.failure != nil {
            StepRenderer.absorb(response, extract: [], requestURL: pending.request.url, into: &s.client)
            s.phase = nextSessionPhase(&s)
            return nil
        }
        if StepRenderer.sessionLost(status: response.status, expectClass: pending.expectClass), context.plan.loginIndex != nil {
            // The session is gone (expired, logged out, refused): log in again, then go on.
            StepRenderer.absorb(response, extract: [], requestURL: pending.request.url, into: &s.client)
            s.needsLogin = true
            context.relogins.wrappingAdd(1, ordering: .relaxed)
            s.phase = nextSessionPhase(&s)
            return nil
        }
        StepRenderer.absorb(response, extract: planned.step.extract, requestURL: pending.request.url, into: &s.client)
        if let poll = planned.step.poll, attempt + 1 < poll.maxAttempts, StepRenderer.pollContinues(poll, response: response) {
            s.phase = .session(si, k, attempt + 1)
            return .milliseconds(Int64(max(0, poll.intervalMs)))
        }
        if planned.step.role == .logout { s.needsLogin = true }
        if k + 1 < context.plan.sessions[si].steps.count {
            s.phase = .session(si, k + 1, 0)
        } else {
            context.sessionsCompleted.wrappingAdd(1, ordering: .relaxed)
            context.metrics.recordFlowCompleted(context.plan.sessions[si].id, shard: shard)
            s.phase = nextSessionPhase(&s)
        }
        return nil
    }

    /// The response headers discovery reads (`Discovery.harvest`).
    static let discoveryHeaders = ["Location", "Content-Location", "Link", "ETag"]

    /// A cheap structural fingerprint of a response for the mutator's novelty feedback.
    static func shape(_ response: EngineResponse) -> UInt64 {
        var hash = FNV1a()
        hash.add(String(response.status))
        hash.add(FailureSignature.fingerprint(response.body.prefix(128)))
        return hash.state
    }
}
