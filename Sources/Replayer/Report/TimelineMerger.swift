import Foundation

/// Aligns shard timelines by wall-clock second (each report's `started_at` plus its second offsets).
enum TimelineMerger {
    static func merge(_ reports: [ReplayReport]) -> TimelineReport {
        let starts = reports.map { Self.epochSecond($0.startedAt) }
        let base = starts.min() ?? 0
        var rows: [Int: Row] = [:]
        var modeRows: [String: [Int: (rps: Double, eps: Double)]] = [:]
        for (report, start) in zip(reports, starts) {
            let t = report.timeline
            for (i, second) in t.seconds.enumerated() {
                let at = second + start - base
                var row = rows[at] ?? Row()
                row.rps += t.rps[safe: i] ?? 0
                row.eps += t.eps[safe: i] ?? 0
                row.fps += t.fps[safe: i] ?? 0
                row.inFlight += t.inFlight?[safe: i] ?? 0
                row.p50 = max(row.p50, t.p50Ms?[safe: i] ?? 0)
                row.p90 = max(row.p90, t.p90Ms?[safe: i] ?? 0)
                row.p99 = max(row.p99, t.p99Ms[safe: i] ?? 0)
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
        let modes = modeRows.mapValues { cells in
            TimelineModeSeries(rps: seconds.map { cells[$0]?.rps ?? 0 }, eps: seconds.map { cells[$0]?.eps ?? 0 })
        }
        return TimelineReport(
            seconds: seconds, rps: seconds.map { rows[$0]?.rps ?? 0 }, eps: seconds.map { rows[$0]?.eps ?? 0 },
            fps: seconds.map { rows[$0]?.fps ?? 0 }, p99Ms: seconds.map { rows[$0]?.p99 ?? 0 },
            p50Ms: seconds.map { rows[$0]?.p50 ?? 0 }, p90Ms: seconds.map { rows[$0]?.p90 ?? 0 },
            inFlight: seconds.map { rows[$0]?.inFlight ?? 0 }, modes: modes.isEmpty ? nil : modes)
    }

    private struct Row {
        var rps = 0.0, eps = 0.0, fps = 0.0, p50 = 0.0, p90 = 0.0, p99 = 0.0
        var inFlight = 0
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
