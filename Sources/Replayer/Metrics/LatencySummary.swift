/// Latency percentiles in milliseconds, as the original report wrote them.
public struct LatencySummary: Codable, Sendable, Equatable {
    /// Fastest, ms.
    public var min: Double
    /// Median, ms.
    public var p50: Double
    /// 90th percentile, ms.
    public var p90: Double
    /// Absent in reports written before thresholds existed.
    public var p95: Double?
    /// 99th percentile, ms.
    public var p99: Double
    /// Slowest, ms.
    public var max: Double

    /// A summary of the given percentiles.
    public init(min: Double, p50: Double, p90: Double, p95: Double? = nil, p99: Double, max: Double) {
        self.min = min
        self.p50 = p50
        self.p90 = p90
        self.p95 = p95
        self.p99 = p99
        self.max = max
    }
}
