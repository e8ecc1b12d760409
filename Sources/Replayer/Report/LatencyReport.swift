/// Latency from the scheduled send next to service time, and how far the generator fell behind
/// its schedule (the open model's coordinated-omission check).
public struct LatencyReport: Codable, Sendable, Equatable {
    /// Where `latencyMs` is measured from.
    public enum Origin: String, Codable, Sendable {
        /// The open model's (`--rate`) scheduled send time: a late start counts as latency.
        case scheduledSend = "scheduled_send"
        /// The closed model's send time (the client's previous response): waits are not counted.
        case send
    }

    /// Where latency is measured from.
    public var measuredFrom: Origin
    /// From the send time the load model set until the response (SSE: until the first byte).
    public var latencyMs: LatencySummary
    /// From the real start of the transfer until the response: the server's part.
    public var serviceMs: LatencySummary?
    /// How long after its scheduled time each request really started.
    public var startDelayMs: LatencySummary?
    /// Requests measured.
    public var requests: Int
    /// Requests that started more than `lateThresholdMs` after their scheduled time.
    public var lateStarts: Int
    /// Delay after which a start counts as late, ms.
    public var lateThresholdMs: Double

    /// The latency section of a report.
    public init(
        measuredFrom: Origin, latencyMs: LatencySummary, serviceMs: LatencySummary?, startDelayMs: LatencySummary?,
        requests: Int, lateStarts: Int, lateThresholdMs: Double
    ) {
        self.measuredFrom = measuredFrom
        self.latencyMs = latencyMs
        self.serviceMs = serviceMs
        self.startDelayMs = startDelayMs
        self.requests = requests
        self.lateStarts = lateStarts
        self.lateThresholdMs = lateThresholdMs
    }

    enum CodingKeys: String, CodingKey {
        case requests
        case measuredFrom = "measured_from"
        case latencyMs = "latency_ms"
        case serviceMs = "service_ms"
        case startDelayMs = "start_delay_ms"
        case lateStarts = "late_starts"
        case lateThresholdMs = "late_threshold_ms"
    }

    /// The wrk2-style warning (one line, without "warning: ") when the open-model generator fell
    /// behind its schedule: more than 1 % of requests started late. Nil otherwise and when closed.
    public var behindScheduleWarning: String? {
        guard measuredFrom == .scheduledSend, requests > 0, lateStarts * 100 > requests, let delay = startDelayMs else {
            return nil
        }
        let share = Double(lateStarts) * 100 / Double(requests)
        return "the load generator fell behind its schedule: \(lateStarts) of \(requests) requests "
            + "(\(ReportSummary.format(share)) %) started over \(ReportSummary.format(lateThresholdMs)) ms late, "
            + "by up to \(ReportSummary.format(delay.max)) ms (p99 \(ReportSummary.format(delay.p99)) ms); that wait counts as latency"
    }

    /// One line for the terminal summary: both latencies side by side.
    public var summaryLine: String {
        let from = measuredFrom == .scheduledSend ? "from the scheduled send" : "from the send"
        return "latency \(from): p50 \(ReportSummary.format(latencyMs.p50)) ms, p99 \(ReportSummary.format(latencyMs.p99)) ms"
            + "  ·  service time: p50 \(ReportSummary.format(serviceMs?.p50 ?? 0)) ms, p99 \(ReportSummary.format(serviceMs?.p99 ?? 0)) ms"
    }
}
