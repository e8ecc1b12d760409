import Histogram

/// A latency histogram in microseconds: HDR, fixed memory, exact merge.
///
/// Two significant digits (1 % value precision) keep one histogram at about 12 KB, so a report
/// with hundreds of endpoint templates stays small; the value range is 1 µs to 10 minutes.
struct LatencyHistogram: Sendable {
    static let highestTrackableMicroseconds: UInt64 = 600_000_000

    private(set) var histogram = Histogram<UInt32>(
        lowestDiscernibleValue: 1,
        highestTrackableValue: LatencyHistogram.highestTrackableMicroseconds,
        numberOfSignificantValueDigits: .two
    )

    var count: UInt64 { histogram.totalCount }

    init() {}

    /// A histogram from its HdrHistogram V2 encoding (`encoded`); it must have this type's range.
    init(encoded: String) throws(HdrEncoding.DecodeError) {
        let decoded = try HdrEncoding.decode(encoded)
        guard decoded.lowestDiscernibleValue == histogram.lowestDiscernibleValue,
            decoded.highestTrackableValue == histogram.highestTrackableValue,
            decoded.numberOfSignificantValueDigits == histogram.numberOfSignificantValueDigits
        else { throw HdrEncoding.DecodeError(description: "histogram: range or precision differs from Stampede's") }
        histogram = decoded
    }

    /// HdrHistogram's V2 compressed encoding, base64.
    var encoded: String { HdrEncoding.encode(histogram) }

    /// Records one latency; values outside the range are clamped rather than dropped.
    mutating func record(microseconds: Int64) {
        let clamped = UInt64(min(max(microseconds, 1), Int64(Self.highestTrackableMicroseconds)))
        _ = histogram.record(clamped)
    }

    mutating func merge(_ other: LatencyHistogram) {
        guard other.count > 0 else { return }
        histogram.add(other.histogram)
    }

    func percentileMilliseconds(_ percentile: Double) -> Double {
        guard count > 0 else { return 0 }
        return Self.milliseconds(histogram.valueAtPercentile(percentile))
    }

    /// min/p50/p90/p95/p99/max in milliseconds; `nil` when nothing was recorded.
    func summary() -> LatencySummary? {
        guard count > 0 else { return nil }
        return LatencySummary(
            // The bucket's lowest value, like every other figure here: an encoded histogram keeps buckets, not raw values.
            min: Self.milliseconds(histogram.minNonZero),
            p50: percentileMilliseconds(50),
            p90: percentileMilliseconds(90),
            p95: percentileMilliseconds(95),
            p99: percentileMilliseconds(99),
            max: Self.milliseconds(histogram.max)
        )
    }

    static func milliseconds(_ microseconds: UInt64) -> Double {
        (Double(microseconds) / 1000 * 1000).rounded() / 1000
    }
}
