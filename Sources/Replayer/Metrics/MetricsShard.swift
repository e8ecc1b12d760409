import StampedeClient
/// Everything one metrics shard accumulates; merged with the other shards at report time.
struct MetricsShard: Sendable {
    /// Beyond this many endpoint templates, further ones share one bucket so memory stays flat
    /// even when mutated paths produce endless new templates.
    static let maxEndpoints = 200
    static let overflowEndpoint = "* (endpoint limit reached)"

    var requests = 0
    var errors = 0
    var endpoints: [String: EndpointAccumulator] = [:]
    var exceptions: [String: Int] = [:]
    var modes = [ModeAccumulator(), ModeAccumulator()]
    /// Per user flow (session id); bounded by the corpus's sessions.
    var flows: [String: FlowAccumulator] = [:]
    var sse = SSEAccumulator()
    var schedule = ScheduleAccumulator()
    /// Open per-second buckets keyed by second since the start; drained by the collector.
    var seconds: [Int: SecondBucket] = [:]

    mutating func record(_ o: RequestObservation, second: Int) {
        requests += 1
        if o.isLegacyError { errors += 1 }
        if let name = o.transportFailure { exceptions[name, default: 0] += 1 }
        var key = o.endpoint
        if endpoints[key] == nil && endpoints.count >= Self.maxEndpoints { key = Self.overflowEndpoint }
        endpoints[key, default: EndpointAccumulator()].record(o)
        modes[o.kind == .user ? 0 : 1].record(o)
        if let flow = o.flow { flows[flow, default: FlowAccumulator()].record(o) }
        if let s = o.sse { sse.record(s) }
        schedule.record(o)
        seconds[second, default: SecondBucket()].record(o)
    }

    mutating func merge(_ other: MetricsShard) {
        requests += other.requests
        errors += other.errors
        for (key, acc) in other.endpoints { endpoints[key, default: EndpointAccumulator()].merge(acc) }
        for (name, n) in other.exceptions { exceptions[name, default: 0] += n }
        for i in modes.indices { modes[i].merge(other.modes[i]) }
        for (flow, acc) in other.flows { flows[flow, default: FlowAccumulator()].merge(acc) }
        sse.merge(other.sse)
        schedule.merge(other.schedule)
        for (s, bucket) in other.seconds { seconds[s, default: SecondBucket()].merge(bucket) }
    }

    /// Removes and returns the buckets of seconds before `second`.
    mutating func drainSeconds(before second: Int) -> [Int: SecondBucket] {
        var out: [Int: SecondBucket] = [:]
        for key in seconds.keys where key < second {
            out[key] = seconds.removeValue(forKey: key)
        }
        return out
    }
}

/// Per client kind totals (the report's per-mode split).
struct ModeAccumulator: Sendable {
    var requests = 0
    var errors = 0
    var failures = [Int](repeating: 0, count: FailureClass.allCases.count)
    /// Status classes 1xx…5xx at 1…5; transport failures at 0.
    var statusClasses = [Int](repeating: 0, count: 6)
    var latency = LatencyHistogram()

    mutating func record(_ o: RequestObservation) {
        requests += 1
        if o.isLegacyError { errors += 1 }
        if let failure = o.failure { failures[failure.index] += 1 }
        if o.slow && o.failure != .slow { failures[FailureClass.slow.index] += 1 }
        let cls = o.transportFailure == nil ? min(max(o.status / 100, 0), 5) : 0
        statusClasses[cls] += 1
        latency.record(microseconds: o.latencyMicroseconds)
    }

    mutating func merge(_ other: ModeAccumulator) {
        requests += other.requests
        errors += other.errors
        for i in failures.indices { failures[i] += other.failures[i] }
        for i in statusClasses.indices { statusClasses[i] += other.statusClasses[i] }
        latency.merge(other.latency)
    }

    /// Failures that are not merely slow.
    var hardFailures: Int { FailureClass.hardCount(failures) }
}

/// Server-sent event stream sampling totals.
struct SSEAccumulator: Sendable {
    var streams = 0
    var events = 0
    var withoutEvents = 0
    var cutByWindow = 0
    var timeToFirstEvent = LatencyHistogram()

    mutating func record(_ s: SSEObservation) {
        streams += 1
        events += s.events
        if s.events == 0 { withoutEvents += 1 }
        if s.cutByWindow { cutByWindow += 1 }
        if let t = s.timeToFirstEventMicroseconds { timeToFirstEvent.record(microseconds: t) }
    }

    mutating func merge(_ other: SSEAccumulator) {
        streams += other.streams
        events += other.events
        withoutEvents += other.withoutEvents
        cutByWindow += other.cutByWindow
        timeToFirstEvent.merge(other.timeToFirstEvent)
    }
}

/// One second of the timeline, before it is folded into the per-second arrays.
struct SecondBucket: Sendable {
    var requests = 0
    var errors = 0
    var failures = [Int](repeating: 0, count: FailureClass.allCases.count)
    /// Requests and errors per client kind, in `ClientKind.allCases` order.
    var modeRequests = [Int](repeating: 0, count: ClientKind.allCases.count)
    var modeErrors = [Int](repeating: 0, count: ClientKind.allCases.count)
    var latency = LatencyHistogram()

    mutating func record(_ o: RequestObservation) {
        requests += 1
        let mode = o.kind.index
        modeRequests[mode] += 1
        if o.isLegacyError {
            errors += 1
            modeErrors[mode] += 1
        }
        if let failure = o.failure { failures[failure.index] += 1 }
        latency.record(microseconds: o.latencyMicroseconds)
    }

    mutating func merge(_ other: SecondBucket) {
        requests += other.requests
        errors += other.errors
        for i in failures.indices { failures[i] += other.failures[i] }
        for i in modeRequests.indices {
            modeRequests[i] += other.modeRequests[i]
            modeErrors[i] += other.modeErrors[i]
        }
        latency.merge(other.latency)
    }
}
