import Mutator
import StampedeCore
import StampedeEngine

/// A brand-new virtual client for triage: empty jar, no variables, its own identity. It runs a
/// crash's context steps (log in, create the object a path refers to…) and then one candidate.
struct FreshClient {
    let renderer: RequestRenderer
    let engine: HTTPEngine
    let identity: ClientIdentity
    var jar = CookieJar()
    var variables: [String: String] = [:]
    var rng: SeededGenerator

    /// SSE context steps read at most this long: only their extract rules matter here.
    static let contextStreamWindowMs = 1_000
    /// Polled context steps wait at most this long between attempts.
    static let maxPollIntervalMs = 200

    init(renderer: RequestRenderer, engine: HTTPEngine, identity: ClientIdentity, seed: UInt64) {
        self.renderer = renderer
        self.engine = engine
        self.identity = identity
        rng = SeededGenerator(seed: seed, 0x7472_6961_6765, UInt64(identity.index))
    }

    /// Runs context steps in order, binding their extract rules; returns false when one of them
    /// failed at the transport level (the candidate is still worth sending).
    mutating func run(context: [Step]) async -> Bool {
        var ok = true
        for step in context {
            var attempts = 0
            while true {
                var (request, _) = renderer.render(step.request, identity: identity, variables: variables, jar: jar, rng: &rng)
                if step.stream != nil {
                    request.sse = SSEOptions(windowMs: Self.contextStreamWindowMs, maxEvents: 64)
                    request.timeoutMs = Self.contextStreamWindowMs + renderer.requestTimeoutMs
                }
                let response = await engine.send(request)
                attempts += 1
                jar.store(response: response, requestURL: request.url)
                if response.failure != nil {
                    ok = false
                    break
                }
                ResponseExtractor.apply(step.extract, response: response, jar: jar, into: &variables)
                guard let poll = step.poll, response.status / 100 == 2, attempts < poll.maxAttempts else { break }
                let value = ResponseExtractor.jsonText(response.body, pointer: poll.pointer)
                if let value, poll.until.contains(value) { break }
                try? await Task.sleep(for: .milliseconds(min(max(0, poll.intervalMs), Self.maxPollIntervalMs)))
            }
        }
        return ok
    }

    /// Sends one candidate with the client's state and observes the answer.
    mutating func send(_ candidate: MutatedRequest, routes: RouteTable) async -> TriageObservation {
        let (request, rendered) = renderer.render(
            candidate.request, identity: identity, variables: variables, jar: jar, rng: &rng,
            sendCookies: !candidate.dropCookies)
        let response = await engine.send(request)
        jar.store(response: response, requestURL: request.url)
        return TriageObservation(
            response: response, request: request, rendered: rendered,
            route: routes.route(of: renderer.rewrite(path: candidate.request.path)))
    }
}
