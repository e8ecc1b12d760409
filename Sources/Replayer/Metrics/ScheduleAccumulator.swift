/// The two latencies of every request, and how late the generator started them.
///
/// - latency: from the send time the load model set (the open model's scheduled slot, or the
///   submission in the closed model) until the response: what a user waiting for it sees.
/// - service time: from the moment the transfer really started until the response: what the
///   server (and network) took.
/// - start delay: the difference, how far behind its schedule the generator was.
struct ScheduleAccumulator: Sendable {
    /// A start later than this after its scheduled time counts as late (wrk2 warns similarly).
    static let lateMicroseconds: Int64 = 10_000

    var latency = LatencyHistogram()
    var service = LatencyHistogram()
    var startDelay = LatencyHistogram()
    var lateStarts = 0

    mutating func record(_ o: RequestObservation) {
        latency.record(microseconds: o.latencyMicroseconds)
        service.record(microseconds: o.serviceMicroseconds)
        startDelay.record(microseconds: o.startDelayMicroseconds)
        if o.startDelayMicroseconds > Self.lateMicroseconds { lateStarts += 1 }
    }

    mutating func merge(_ other: ScheduleAccumulator) {
        latency.merge(other.latency)
        service.merge(other.service)
        startDelay.merge(other.startDelay)
        lateStarts += other.lateStarts
    }

    /// The report block; nil when nothing was recorded.
    func report(openModel: Bool) -> LatencyReport? {
        guard let latencySummary = latency.summary() else { return nil }
        return LatencyReport(
            measuredFrom: openModel ? .scheduledSend : .send, latencyMs: latencySummary, serviceMs: service.summary(),
            startDelayMs: startDelay.summary(), requests: Int(latency.count), lateStarts: lateStarts,
            lateThresholdMs: Double(Self.lateMicroseconds) / 1000)
    }
}
