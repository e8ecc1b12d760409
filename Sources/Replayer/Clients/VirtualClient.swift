import Foundation
import Mutator
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
    }

    struct Pending: Sendable {
        var origin: Origin
        var rendered: RequestTemplate
        var request: HTTPRequest
        var endpoint: String
        var expectClass: Int?
    }

    struct State: Sendable {
        var phase: Phase
        var jar = CookieJar()
        var variables: [String: String] = [:]
        var rng: SeededGenerator
        var requests = 0
        var needsLogin = false
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
        let rng = SeededGenerator(seed: context.options.seed, 0x636C_6965_6E74, UInt64(index))
        let phase: Phase
        if loggedIn && !context.plan.identity.isEmpty {
            phase = .identity(0)
        } else {
            phase = kind == .monkey ? .monkey : .done  // user clients pick a session on start
        }
        state = Mutex(State(phase: phase, rng: rng))
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
        context.gauge.enter()
        context.engine.submit(pending.request) { [self] response in
            completed(response, pending)
        }
    }

    private func completed(_ response: HTTPResponse, _ pending: Pending) {
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
            case .identity(let i):
                guard i < context.plan.identity.count else {
                    s.phase = kind == .monkey ? .monkey : nextSessionPhase(&s)
                    continue
                }
                return pending(for: context.plan.identity[i], origin: .identity(i), &s)
            case .session(let si, let k, let attempt):
                let planned = context.plan.sessions[si].steps[k]
                return pending(for: planned, origin: .session(si, k, attempt), &s)
            case .monkey:
                guard let mutator = context.mutator else {
                    s.phase = .done
                    return nil
                }
                var (mutant, request, rendered) = renderMutant(mutator, identity: identity, &s)
                // A mutant the engine would refuse (another host, an injected header line) is dropped and counted.
                for _ in 0..<8 where context.engine.refusal(for: request) != nil {
                    context.mutantsRefused.wrappingAdd(1, ordering: .relaxed)
                    (mutant, request, rendered) = renderMutant(mutator, identity: identity, &s)
                }
                var sent = request
                sent.scheduledAt = s.scheduledAt
                s.scheduledAt = nil
                s.requests += 1
                return Pending(
                    origin: .mutant(mutant), rendered: rendered, request: sent,
                    endpoint: mutantEndpoint(mutant, rendered), expectClass: nil)
            }
        }
        return nil
    }

    private func renderMutant(_ mutator: Mutator, identity: ClientIdentity, _ s: inout State) -> (Mutant, HTTPRequest, RequestTemplate) {
        var mutant = mutator.nextMutant(seed: s.rng.next())
        for _ in 0..<8 where context.isQuarantined(method: mutant.request.method) {
            mutant = mutator.nextMutant(seed: s.rng.next())
        }
        let (request, rendered) = context.renderer.render(
            mutant.request, identity: identity, variables: s.variables, jar: s.jar, rng: &s.rng,
            sendCookies: !mutant.dropCookies)
        return (mutant, request, rendered)
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
        var (request, rendered) = context.renderer.render(
            planned.step.request, identity: identity, variables: s.variables, jar: s.jar, rng: &s.rng)
        if let stream = planned.step.stream {
            let windowMs = Int((stream.windowSeconds ?? context.options.sseWindowSeconds) * 1000)
            request.sse = SSEOptions(windowMs: windowMs, maxEvents: 64)
            request.timeoutMs = windowMs + context.options.requestTimeoutMs
        }
        request.scheduledAt = s.scheduledAt
        s.scheduledAt = nil
        s.requests += 1
        return Pending(
            origin: origin, rendered: rendered, request: request, endpoint: planned.endpoint,
            expectClass: planned.step.expect?.statusClass)
    }

    private func nextSessionPhase(_ s: inout State) -> Phase {
        let sessions = context.plan.sessions
        guard !sessions.isEmpty else { return .done }
        if s.needsLogin, let login = context.plan.loginIndex {
            s.needsLogin = false
            return .identity(login)
        }
        let pick = s.rng.pickWeighted(sessions.map(\.weight)) ?? 0
        return .session(pick, 0, 0)
    }

    // MARK: - Completion

    private func record(_ response: HTTPResponse, _ pending: Pending, at now: ContinuousClock.Instant) {
        var failure = context.classify(response, expectClass: pending.expectClass)
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
            kind: kind, endpoint: pending.endpoint, status: response.status,
            transportFailure: response.failure?.name, latencyMicroseconds: latency,
            bytesReceived: response.bodyBytes, failure: failure, slow: slow, sse: sse)
        context.metrics.record(observation, shard: shard, at: now)
        if let failure, failure.isFinding {
            noteFinding(response, pending, failure, at: now)
        }
    }

    private func noteFinding(_ response: HTTPResponse, _ pending: Pending, _ failure: FailureClass, at now: ContinuousClock.Instant) {
        let text = RunContext.failureText(response, failureClass: failure, expectClass: pending.expectClass)
        let signature = FailureSignature(
            method: pending.rendered.method, endpoint: pending.endpoint, failureClass: failure, failure: text,
            body: response.body)
        let plan = context.plan
        context.findings.record(
            signature: signature, failureClass: failure, failure: text, method: pending.rendered.method,
            endpoint: pending.endpoint, source: kind, at: now
        ) {
            var session = "", step = 0
            var seed: UInt64?
            var operations: [String] = []
            switch pending.origin {
            case .identity(let i):
                session = plan.identity[i].sessionID
                step = plan.identity[i].index
            case .session(let si, let k, _):
                session = plan.sessions[si].steps[k].sessionID
                step = plan.sessions[si].steps[k].index
            case .mutant(let m):
                session = plan.corpusSessions[m.parentSession].id
                step = m.parentStep
                seed = m.seed
                operations = m.operations.map(\.description)
            }
            let curl = CurlCommand.render(
                method: pending.request.method, url: pending.request.url, headers: pending.request.headers,
                body: pending.request.body)
            return FindingExample(
                session: session, step: step, seed: seed, operations: operations, request: pending.rendered,
                url: pending.request.url, curl: curl, status: response.status,
                responseExcerpt: response.failure?.message ?? String(decoding: response.body.prefix(300), as: UTF8.self))
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
    private func absorb(_ response: HTTPResponse, _ pending: Pending, _ s: inout State) -> Duration? {
        s.jar.store(response: response, requestURL: pending.request.url)
        let transportFailed = response.failure != nil
        // A refused or reset connection: back off a little so a dead target is not spun on.
        let backoff: Duration? = transportFailed ? .milliseconds(50) : nil
        switch pending.origin {
        case .identity(let i):
            if transportFailed { return backoff }  // try the same identity step again
            ResponseExtractor.apply(context.plan.identity[i].step.extract, response: response, jar: s.jar, into: &s.variables)
            s.phase = .identity(i + 1)
            return nil
        case .session(let si, let k, let attempt):
            let planned = context.plan.sessions[si].steps[k]
            if transportFailed {
                s.phase = nextSessionPhase(&s)
                return backoff
            }
            if response.status == 401 && pending.expectClass != 4 && context.plan.loginIndex != nil {
                // The session is gone (expired, logged out): log in again, then go on.
                s.needsLogin = true
                context.relogins.wrappingAdd(1, ordering: .relaxed)
                s.phase = nextSessionPhase(&s)
                return nil
            }
            ResponseExtractor.apply(planned.step.extract, response: response, jar: s.jar, into: &s.variables)
            if let poll = planned.step.poll, response.status / 100 == 2, attempt + 1 < poll.maxAttempts {
                let value = ResponseExtractor.jsonText(response.body, pointer: poll.pointer)
                if value == nil || !poll.until.contains(value ?? "") {
                    s.phase = .session(si, k, attempt + 1)
                    return .milliseconds(Int64(max(0, poll.intervalMs)))
                }
            }
            if planned.step.role == .logout { s.needsLogin = true }
            if k + 1 < context.plan.sessions[si].steps.count {
                s.phase = .session(si, k + 1, 0)
            } else {
                context.sessionsCompleted.wrappingAdd(1, ordering: .relaxed)
                s.phase = nextSessionPhase(&s)
            }
            return nil
        case .mutant(let mutant):
            context.mutantsSent.wrappingAdd(1, ordering: .relaxed)
            if response.failure?.name == "CURLE_OPERATION_TIMEDOUT" { context.noteTimeout(method: mutant.request.method) }
            context.mutator?.feedback(
                mutant,
                outcome: MutationOutcome(endpoint: pending.endpoint, status: response.status, shape: Self.shape(response)))
            if transportFailed { return backoff }
            if response.status / 100 == 2 {
                let step = context.plan.corpusSessions[mutant.parentSession].steps[mutant.parentStep]
                ResponseExtractor.apply(step.extract, response: response, jar: s.jar, into: &s.variables)
            }
            // A logged-in monkey whose session a mutant ended (say a logout) logs in again, but
            // not more than once per 20 requests so a garbage 401 cannot make it loop on login.
            if response.status == 401, !mutant.dropCookies, let login = context.plan.loginIndex,
                s.requests - s.lastReloginAt > 20, loggedIn
            {
                s.lastReloginAt = s.requests
                context.relogins.wrappingAdd(1, ordering: .relaxed)
                s.phase = .identity(login)
            }
            return nil
        }
    }

    /// A cheap structural fingerprint of a response for the mutator's novelty feedback.
    static func shape(_ response: HTTPResponse) -> UInt64 {
        var hash = FNV1a()
        hash.add(String(response.status))
        hash.add(FailureSignature.fingerprint(response.body.prefix(128)))
        return hash.state
    }
}
