public import Foundation

/// `--start-at`: the instant every shard starts, as RFC 3339 or seconds since 1970.
public enum StartTime {
    /// The farthest ahead a start may be: further is more likely a typo than a plan.
    public static let maxWaitSeconds: Double = 600

    /// `2026-11-29T21:50:00Z`, `2026-11-29T22:50:00+01:00` or `1796075400` (epoch seconds, decimals allowed).
    public static func parse(_ text: String) -> Date? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(t), seconds.isFinite, seconds > 0 { return Date(timeIntervalSince1970: seconds) }
        if let date = try? Date(t, strategy: .iso8601) { return date }
        return try? Date(t, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// Seconds to wait from `now` (0 when the instant has passed), or a one-line reason to refuse.
    ///
    /// A start more than `maxWaitSeconds` ago is refused too: it cannot line anything up any more
    /// (a shard retried long after the others, or a stale command line).
    public static func wait(until start: Date, now: Date) -> Result<Double, ShardError> {
        let seconds = start.timeIntervalSince(now)
        guard abs(seconds) <= maxWaitSeconds else {
            let when = seconds > 0 ? "\(Int(seconds.rounded())) s away" : "\(Int((-seconds).rounded())) s ago"
            return .failure(ShardError("--start-at is \(when); at most \(Int(maxWaitSeconds)) s either way is allowed"))
        }
        return .success(max(0, seconds))
    }
}
