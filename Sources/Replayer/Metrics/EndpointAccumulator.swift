import StampedeClient
/// Per endpoint template counters and histograms, inside one metrics shard.
struct EndpointAccumulator: Sendable {
    var count = 0
    var errors = 0
    var failures = [Int](repeating: 0, count: FailureClass.allCases.count)
    var status: [Int: Int] = [:]
    var success = LatencyHistogram()
    /// Allocated on the first error only: most endpoints never need it.
    var error: LatencyHistogram?
    var bytesReceived = 0

    mutating func record(_ o: RequestObservation) {
        count += 1
        // The original recorded exceptions as status 599; keep that for its readers.
        status[o.transportFailure == nil ? o.status : 599, default: 0] += 1
        bytesReceived += o.bytesReceived
        if let failure = o.failure { failures[failure.index] += 1 }
        if o.slow && o.failure != .slow { failures[FailureClass.slow.index] += 1 }
        if o.isLegacyError {
            errors += 1
            if error == nil { error = LatencyHistogram() }
            error?.record(microseconds: o.latencyMicroseconds)
        } else {
            success.record(microseconds: o.latencyMicroseconds)
        }
    }

    mutating func merge(_ other: EndpointAccumulator) {
        count += other.count
        errors += other.errors
        for i in failures.indices { failures[i] += other.failures[i] }
        for (code, n) in other.status { status[code, default: 0] += n }
        success.merge(other.success)
        if let otherError = other.error {
            if error == nil { error = LatencyHistogram() }
            error?.merge(otherError)
        }
        bytesReceived += other.bytesReceived
    }

    var all: LatencyHistogram {
        var h = success
        if let error { h.merge(error) }
        return h
    }
}
