public import StampedeEngine

/// How one step went when a session was replayed.
public struct StepOutcome: Sendable {
    /// Why a step did or did not replay as recorded.
    public enum Verdict: Sendable, Equatable {
        /// The response's status class is the recorded one.
        case matched
        /// The request still referenced variables nothing defined (sent as is).
        case unresolved([String])
        /// The status class differs from the recording.
        case statusDiffers(expected: Int, got: Int)
        /// No response: a transport failure (`CURLE_…`).
        case transport(String)
    }

    /// Index of the step in its session (0-based).
    public var index: Int
    /// Endpoint template key (`GET /api/v1/scripts/{id}`).
    public var endpoint: String
    public var verdict: Verdict
    /// The final response (the last attempt of a polled step).
    public var response: HTTPResponse
    /// Requests sent for this step (more than 1 for a polled step).
    public var attempts: Int

    public init(index: Int, endpoint: String, verdict: Verdict, response: HTTPResponse, attempts: Int) {
        self.index = index
        self.endpoint = endpoint
        self.verdict = verdict
        self.response = response
        self.attempts = attempts
    }

    public var matched: Bool { verdict == .matched }

    /// One line for people: `ok` or why not.
    public var explanation: String {
        switch verdict {
        case .matched: "ok (\(response.status))"
        case .unresolved(let names): "unresolved variable" + (names.count > 1 ? "s " : " ") + names.map { "{{\($0)}}" }.joined(separator: ", ") + " (got \(response.status))"
        case .statusDiffers(let expected, let got): "status differs: recorded \(expected)xx, got \(got)"
        case .transport(let name): "no response: \(name)"
        }
    }
}

/// How a whole session went when replayed by one fresh client.
public struct SessionOutcome: Sendable {
    public var sessionID: String
    public var steps: [StepOutcome]

    public init(sessionID: String, steps: [StepOutcome]) {
        self.sessionID = sessionID
        self.steps = steps
    }

    /// True when every step replayed with its recorded status class.
    public var allMatched: Bool { steps.allSatisfy(\.matched) }
}
