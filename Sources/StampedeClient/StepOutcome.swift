public import StampedeEngine

/// How one step went when a client sent it.
public struct StepOutcome: Sendable {
    /// Why a step did or did not replay as recorded.
    public enum Verdict: Sendable, Equatable {
        /// The response's status class is the recorded one.
        case matched
        /// Variables nothing resolved, each with why (not sent).
        case unresolved([UnresolvedVariable])
        /// The status class differs from the recording.
        case statusDiffers(expected: Int, got: Int)
        /// No HTTP response: a transport failure (`CURLE_…`).
        case transport(String)
        /// A status outside 100–599 or a reply that is not HTTP.
        case protocolViolation(String)
    }

    /// Index of the step in its session (0-based; people read `number`).
    public var index: Int
    /// Endpoint template key (`GET /api/v1/scripts/{id}`).
    public var endpoint: String
    /// How the answer compares with the recording.
    public var verdict: Verdict
    /// The final response (the last attempt of a polled step; empty when nothing was sent).
    public var response: EngineResponse
    /// Requests sent for this step (0 when unresolved, more than 1 for a polled step).
    public var attempts: Int
    /// The request as sent, secrets shown as `$STAMPEDE_SECRET_NAME`.
    public var request: EngineRequest
    /// The failure class of the outcome (nil: matched).
    public var failureClass: FailureClass?

    /// An outcome.
    public init(index: Int, endpoint: String, verdict: Verdict, response: EngineResponse, attempts: Int, request: EngineRequest, failureClass: FailureClass?) {
        self.index = index
        self.endpoint = endpoint
        self.verdict = verdict
        self.response = response
        self.attempts = attempts
        self.request = request
        self.failureClass = failureClass
    }

    /// The 1-based step number people read.
    public var number: Int { index + 1 }
    /// Whether the step replayed as recorded.
    public var matched: Bool { verdict == .matched }

    /// One line for people: `ok (200)` or why not.
    public var explanation: String {
        switch verdict {
        case .matched: "ok (\(response.status))"
        case .unresolved(let variables): variables.map(\.description).joined(separator: "; ") + " (not sent)"
        case .statusDiffers(let expected, let got): "recorded \(expected)xx, got \(got)"
        case .transport(let name): "no response: \(name)"
        case .protocolViolation(let what): "protocol violation: \(what)"
        }
    }

    /// The verdict and failure class of a response to a step recorded with `expectClass`.
    public static func judge(_ response: EngineResponse, expectClass: Int?) -> (Verdict, FailureClass?) {
        let failureClass = FailureClass.classify(response, expectClass: expectClass)
        if let failure = response.failure {
            return (failureClass == .protocol ? .protocolViolation(failure.name) : .transport(failure.name), failureClass)
        }
        if failureClass == .protocol { return (.protocolViolation("status \(response.status)"), .protocol) }
        if let expectClass, response.status / 100 != expectClass {
            return (.statusDiffers(expected: expectClass, got: response.status), failureClass ?? .expectation)
        }
        return (.matched, failureClass)
    }
}

/// How a whole session went when replayed by one fresh client.
public struct SessionOutcome: Sendable {
    /// The corpus session id.
    public var sessionID: String
    /// One outcome per step sent, in order.
    public var steps: [StepOutcome]

    /// An outcome of `steps`.
    public init(sessionID: String, steps: [StepOutcome]) {
        self.sessionID = sessionID
        self.steps = steps
    }

    /// True when every step replayed with its recorded status class.
    public var allMatched: Bool { steps.allSatisfy(\.matched) }
}
