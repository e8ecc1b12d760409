public import Foundation

/// How far the target's clock is from this machine's, read from a response's `Date` header.
///
/// `--start-at` waits on the local clock, so shards on machines whose clocks disagree start apart;
/// the target's clock is the one reference every shard sees. `Date` has whole seconds, so the
/// target stamped some instant in `[Date, Date + 1)` while the request was in flight: only the part
/// of the difference that this window and the round trip cannot explain counts.
public struct ClockSkew: Sendable, Equatable {
    /// Seconds the target's clock is ahead of ours (negative: behind); 0 when the header agrees.
    public var seconds: Double

    /// Beyond this many seconds apart, `--start-at` warns.
    public static let tolerance: Double = 1

    /// A skew of `seconds` (target minus local).
    public init(seconds: Double) {
        self.seconds = seconds
    }

    /// The skew shown by `dateHeader` for a request sent at `sentAt` whose response head arrived at
    /// `receivedAt`; nil when the header is not an HTTP date.
    public static func measure(dateHeader: String, sentAt: Date, receivedAt: Date) -> ClockSkew? {
        guard let stamped = httpDate(dateHeader) else { return nil }
        let ahead = stamped.timeIntervalSince(receivedAt)
        let behind = stamped.addingTimeInterval(1).timeIntervalSince(sentAt)
        return ClockSkew(seconds: ahead > 0 ? ahead : min(0, behind))
    }

    /// One line for stderr when the clocks are more than `tolerance` apart, else nil.
    public var warning: String? {
        guard abs(seconds) > Self.tolerance else { return nil }
        let amount = (abs(seconds) * 10).rounded() / 10
        return "warning: the target's clock (its Date header) is \(amount) s \(seconds > 0 ? "ahead of" : "behind") this machine's; "
            + "--start-at waits on the local clock, so shards whose clocks differ start apart (sync them, e.g. with NTP)"
    }

    /// RFC 9110's IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT` (the only form a server may send).
    static func httpDate(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let month = months.firstIndex(of: String(parts[2])),
            let year = Int(parts[3])
        else { return nil }
        let time = parts[4].split(separator: ":").compactMap { Int($0) }
        guard time.count == 3 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "GMT") ?? calendar.timeZone
        let components = DateComponents(year: year, month: month + 1, day: day, hour: time[0], minute: time[1], second: time[2])
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }
}
