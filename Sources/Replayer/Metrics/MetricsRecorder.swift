import StampedeClient
import Synchronization

/// Thread-safe metrics sink for engine completion callbacks.
///
/// Recording takes one uncontended lock: the state is split into shards (a client always records
/// into the same one), merged only when a report or the progress line asks. Every structure has a
/// fixed size (HDR histograms, capped endpoint map, per-second buckets drained every second), so
/// memory stays flat over a long run.
final class MetricsRecorder: Sendable {
    /// One shard; a class so an array of them can hold non-copyable mutexes.
    private final class Shard: Sendable {
        let state = Mutex(MetricsShard())
    }

    /// The timeline keeps at most a day of seconds.
    static let maxTimelineSeconds = 86_400

    let start: ContinuousClock.Instant
    private let shards: [Shard]
    private let timeline = Mutex(TimelineState())
    /// The most requests in flight during each second, sampled by the run loop.
    private let inFlightPeaks = Mutex<[Int: Int]>([:])

    init(shardCount: Int, start: ContinuousClock.Instant) {
        self.start = start
        shards = (0..<max(1, shardCount)).map { _ in Shard() }
    }

    /// The second since the start that `instant` falls in.
    func second(of instant: ContinuousClock.Instant) -> Int {
        let d = instant - start
        return max(0, Int(d.components.seconds))
    }

    func record(_ observation: RequestObservation, shard: Int, at instant: ContinuousClock.Instant) {
        let s = second(of: instant)
        shards[shard % shards.count].state.withLock { $0.record(observation, second: s) }
    }

    /// Counts a pass through user flow `flow` that reached its last step.
    func recordFlowCompleted(_ flow: String, shard: Int) {
        shards[shard % shards.count].state.withLock { $0.flows[flow, default: FlowAccumulator()].completed += 1 }
    }

    /// Folds every second before `second` into the timeline and returns the newly closed points.
    @discardableResult
    func closeSeconds(before second: Int) -> [TimelinePoint] {
        var drained: [Int: SecondBucket] = [:]
        for shard in shards {
            let buckets = shard.state.withLock { $0.drainSeconds(before: second) }
            for (s, b) in buckets { drained[s, default: SecondBucket()].merge(b) }
        }
        return timeline.withLock { $0.fold(drained, upTo: second) }
    }

    /// All shards merged (open seconds included), without changing them.
    func totals() -> MetricsShard {
        var merged = MetricsShard()
        for shard in shards {
            let copy = shard.state.withLock { $0 }
            merged.merge(copy)
        }
        return merged
    }

    var timelinePoints: [TimelinePoint] { timeline.withLock { $0.points } }

    /// Notes the most requests in flight during `second` (kept for the timeline's first day).
    func recordInFlight(second: Int, peak: Int) {
        guard second >= 0 && second < Self.maxTimelineSeconds else { return }
        inFlightPeaks.withLock { $0[second] = max($0[second] ?? 0, peak) }
    }

    /// In-flight peaks for seconds `0..<count` (0 where none was sampled).
    func inFlightSeries(count: Int) -> [Int] {
        let peaks = inFlightPeaks.withLock { $0 }
        return (0..<count).map { peaks[$0] ?? 0 }
    }
}

/// One second of the timeline.
struct TimelinePoint: Sendable, Equatable {
    var second: Int
    var requests: Int
    var errors: Int
    var failures: [Int]
    /// Requests and errors per client kind, in `ClientKind.allCases` order.
    var modeRequests: [Int]
    var modeErrors: [Int]
    var p50Milliseconds: Double
    var p90Milliseconds: Double
    var p99Milliseconds: Double
    /// The second's latency histogram in the report's encoding (`ReportHistograms`); nil when it had no request.
    var histogram: String?

    var hardFailures: Int { FailureClass.hardCount(failures) }
}

/// Closed seconds, contiguous from 0.
struct TimelineState: Sendable {
    var points: [TimelinePoint] = []

    mutating func fold(_ buckets: [Int: SecondBucket], upTo second: Int) -> [TimelinePoint] {
        let first = points.count
        let end = min(second, MetricsRecorder.maxTimelineSeconds)
        while points.count < end {
            let s = points.count
            let b = buckets[s] ?? SecondBucket()
            var point = TimelinePoint(
                second: s, requests: b.requests, errors: b.errors, failures: b.failures,
                modeRequests: b.modeRequests, modeErrors: b.modeErrors, p50Milliseconds: 0, p90Milliseconds: 0,
                p99Milliseconds: 0)
            point.setLatency(b.latency)
            points.append(point)
        }
        // A request that finished just before a second closed but recorded just after it lands
        // here: count it in its own second, histogram and percentiles included.
        for (s, b) in buckets where s < first && s < points.count {
            points[s].requests += b.requests
            points[s].errors += b.errors
            for i in b.failures.indices { points[s].failures[i] += b.failures[i] }
            for i in b.modeRequests.indices {
                points[s].modeRequests[i] += b.modeRequests[i]
                points[s].modeErrors[i] += b.modeErrors[i]
            }
            var latency = points[s].histogram.flatMap { try? LatencyHistogram(encoded: $0) } ?? LatencyHistogram()
            latency.merge(b.latency)
            points[s].setLatency(latency)
        }
        return Array(points[min(first, points.count)...])
    }
}

extension TimelinePoint {
    /// Sets the second's percentiles and encoded histogram from its latencies.
    mutating func setLatency(_ latency: LatencyHistogram) {
        p50Milliseconds = latency.percentileMilliseconds(50)
        p90Milliseconds = latency.percentileMilliseconds(90)
        p99Milliseconds = latency.percentileMilliseconds(99)
        histogram = latency.count > 0 ? latency.encoded : nil
    }
}
