import StampedeClient
import StampedeCore

/// One user flow of the run: a corpus session, with the identity steps (sign-up, log-in) that came
/// from it. JUnit output has one test case per flow, failed when the flow had failures.
public struct FlowReport: Codable, Sendable, Equatable {
    /// The session's name in the corpus, when it has one (the key is its id).
    public var name: String?
    /// Requests the flow's clients sent, sign-up and log-in included.
    public var requests: Int
    /// Status ≥ 400 or transport failure (the original's definition).
    public var errors: Int
    /// Failures of every class except `slow`.
    public var failures: Int
    /// Failures per class name.
    public var failureClasses: [String: Int]
    /// Passes through the flow that reached its last step.
    public var iterations: Int

    /// A flow's figures.
    public init(name: String?, requests: Int, errors: Int, failures: Int, failureClasses: [String: Int], iterations: Int) {
        self.name = name
        self.requests = requests
        self.errors = errors
        self.failures = failures
        self.failureClasses = failureClasses
        self.iterations = iterations
    }

    enum CodingKeys: String, CodingKey {
        case name, requests, errors, failures, iterations
        case failureClasses = "failure_classes"
    }

    /// The sum of two shards' counts of the same flow.
    func adding(_ other: FlowReport) -> FlowReport {
        FlowReport(
            name: name ?? other.name, requests: requests + other.requests, errors: errors + other.errors,
            failures: failures + other.failures, failureClasses: failureClasses.merging(other.failureClasses, uniquingKeysWith: +),
            iterations: iterations + other.iterations)
    }
}

extension FlowReport {
    /// The flows of a finished run's merged metrics, named from the corpus; nil when no user flow ran.
    static func reports(_ flows: [String: FlowAccumulator], sessions: [Session]) -> [String: FlowReport]? {
        guard !flows.isEmpty else { return nil }
        var out: [String: FlowReport] = [:]
        for (id, acc) in flows {
            var classes: [String: Int] = [:]
            for c in FailureClass.allCases { classes[c.rawValue] = acc.failures[c.index] }
            out[id] = FlowReport(
                name: sessions.first { $0.id == id }?.name, requests: acc.requests, errors: acc.errors,
                failures: acc.hardFailures, failureClasses: classes, iterations: acc.completed)
        }
        return out
    }
}
