import Foundation

/// Aligns shard timelines by wall-clock second (each report's `started_at` plus its second offsets).
///
/// Counts are summed per second; each second's p50/p90/p99 come from the sum of the shards'
/// histograms of that second, exactly like the run-wide figures. A report written before timelines
/// carried histograms leaves its seconds at the highest shard's percentiles.
enum TimelineMerger {
    /// The merged timeline and, when every report had them, its per-second encoded histograms.
    static func merge(_ reports: [ReplayReport]) throws(ReportMergeError) -> (timeline: TimelineReport, histograms: [String?]?) {
        let starts = reports.map { Self.epochSecond($0.startedAt) }
        let base = starts.min() ?? 0
        let exact = reports.allSatisfy { $0.histograms?.timeline?.count == $0.timeline.seconds.count }
        var rows: [Int: Row] = [:]
        var modeRows: [String: [Int: (rps: Double, eps: Double)]] = [:]
        for (report, start) in zip(reports, starts) {
            let t = report.timeline
            for (i, second) in t.seconds.enumerated() {
                let at = second + start - base
                var row = rows[at] ?? Row()
                row.add(t, at: i, histogram: exact ? report.histograms?.timeline?[i] : nil)
                rows[at] = row
                for (mode, series) in t.modes ?? [:] {
                    var cell = modeRows[mode, default: [:]][at] ?? (0, 0)
                    cell.rps += series.rps[safe: i] ?? 0
                    cell.eps += series.eps[safe: i] ?? 0
                    modeRows[mode, default: [:]][at] = cell
                }
            }
        }
        let seconds = rows.keys.sorted()
        var encoded: [String?] = []
        if exact {
            // One second at a time, so only one decoded histogram is alive however long the run.
            for second in seconds {
                encoded.append(try rows[second]?.settleExactPercentiles())
            }
        }
        let modes = modeRows.mapValues { cells in
            TimelineModeSeries(rps: seconds.map { cells[$0]?.rps ?? 0 }, eps: seconds.map { cells[$0]?.eps ?? 0 })
        }
        let ordered = seconds.map { rows[$0] ?? Row() }
        let timeline = TimelineReport(
            seconds: seconds, rps: ordered.map(\.rps), eps: ordered.map(\.eps), fps: ordered.map(\.fps),
            p99Ms: ordered.map(\.p99), p50Ms: ordered.map(\.p50), p90Ms: ordered.map(\.p90),
            inFlight: ordered.map(\.inFlight), modes: modes.isEmpty ? nil : modes)
        return (timeline, exact ? encoded : nil)
    }

    /// One wall-clock second across the shards.
    private struct Row {
        var rps = 0.0, eps = 0.0, fps = 0.0, p50 = 0.0, p90 = 0.0, p99 = 0.0
        var inFlight = 0
        /// The shards' encoded histograms of this second.
        var histograms: [String] = []

        mutating func add(_ t: TimelineReport, at i: Int, histogram: String?) {
            rps += t.rps[safe: i] ?? 0
            eps += t.eps[safe: i] ?? 0
            fps += t.fps[safe: i] ?? 0
            inFlight += t.inFlight?[safe: i] ?? 0
            p50 = max(p50, t.p50Ms?[safe: i] ?? 0)
            p90 = max(p90, t.p90Ms?[safe: i] ?? 0)
            p99 = max(p99, t.p99Ms[safe: i] ?? 0)
            if let histogram { histograms.append(histogram) }
        }

        /// Replaces the percentiles by those of the summed histograms; returns the sum encoded (nil when empty).
        mutating func settleExactPercentiles() throws(ReportMergeError) -> String? {
            var sum = LatencyHistogram()
            for text in histograms {
                do {
                    sum.merge(try LatencyHistogram(encoded: text))
                } catch {
                    throw ReportMergeError(description: "report merge: a timeline histogram: \(error)")
                }
            }
            p50 = sum.percentileMilliseconds(50)
            p90 = sum.percentileMilliseconds(90)
            p99 = sum.percentileMilliseconds(99)
            return sum.count > 0 ? sum.encoded : nil
        }
    }

    /// `2026-11-29T21:18:22Z` → seconds since 1970; 0 when unreadable (then offsets alone align).
    static func epochSecond(_ text: String) -> Int {
        guard let date = try? Date(text, strategy: .iso8601) else { return 0 }
        return Int(date.timeIntervalSince1970.rounded(.down))
    }
}

extension Array {
    fileprivate subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
