import StampedeClient

/// One user flow's (corpus session's) counters inside a metrics shard: its requests, identity
/// steps included, and the passes through it that reached its last step.
struct FlowAccumulator: Sendable {
    var requests = 0
    var errors = 0
    var failures = [Int](repeating: 0, count: FailureClass.allCases.count)
    var completed = 0

    mutating func record(_ o: RequestObservation) {
        requests += 1
        if o.isLegacyError { errors += 1 }
        if let failure = o.failure { failures[failure.index] += 1 }
    }

    mutating func merge(_ other: FlowAccumulator) {
        requests += other.requests
        errors += other.errors
        completed += other.completed
        for i in failures.indices { failures[i] += other.failures[i] }
    }

    /// Failures that are not merely slow.
    var hardFailures: Int { FailureClass.hardCount(failures) }
}
