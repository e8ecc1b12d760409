import Mutator
import Recorder
import StampedeCore
import StampedeEngine

/// One virtual client of `stampede check`: builds the session once (the recorded steps before
/// the target), then sends each variant with it and judges the response.
actor CheckClient {
    let runner: SessionRunner
    let target: CheckTarget
    let property: CheckProperty
    private var state: ClientState
    /// Statuses of the random runs (not of shrinking), `0` for a transport failure.
    private(set) var statuses: [Int: Int] = [:]
    private var shrinking = false

    init(runner: SessionRunner, target: CheckTarget, property: CheckProperty) {
        self.runner = runner
        self.target = target
        self.property = property
        self.state = ClientState(identity: ClientIdentity(index: 1, runID: ClientIdentity.randomRunID()))
    }

    /// Runs the context steps; a transport failure there is fatal, an unexpected status a warning.
    func prepareSession() async throws {
        var state = self.state
        for (index, step) in target.context.enumerated() {
            let outcome = await runner.runStep(step, index: index, state: &state)
            if let failure = outcome.response.failure {
                throw CLIError.failure("session step \(index) (\(outcome.endpoint)) failed: \(failure.name) \(failure.message)")
            }
            if !outcome.matched {
                Console.note("stampede: warning: session step \(index) (\(outcome.endpoint)): \(outcome.explanation)")
            }
        }
        self.state = state
    }

    /// Sends `body` as the target step's body and applies the property.
    func evaluate(_ body: JSONValue) async -> PropertyVerdict {
        let prepared = runner.prepare(target.step(withBody: body), state: state)
        let response = await runner.engine.send(prepared.request)
        let verdict = property.verdict(for: response, expectedClass: target.step.expect?.statusClass ?? 2)
        if !shrinking {
            statuses[response.failure == nil ? response.status : 0, default: 0] += 1
            if verdict != .pass { shrinking = true }
        }
        return verdict
    }

    /// A curl command sending `body` with this client's session (cookies and CSRF header included).
    func curl(for body: JSONValue) -> String {
        let request = runner.prepare(target.step(withBody: body), state: state).request
        return CurlCommand.render(method: request.method, url: request.url, headers: request.headers, body: request.body)
    }
}
