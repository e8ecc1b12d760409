/// A periodic server stall for load-model tests: every `period` the demo target answers nothing
/// for `pause` (requests arriving then wait until the pause ends), like a GC pause or a lock.
///
/// Pauses sit at the end of each period counted from the server's start: with the default
/// (1 s every 5 s) the server stalls during seconds 4–5, 9–10, …
public struct DemoStall: Sendable, Equatable {
    /// The length of one cycle.
    public var period: Duration
    /// How long the server stalls at the end of each cycle (clamped to the period).
    public var pause: Duration

    /// A stall of `pause` once every `period`.
    public init(every period: Duration = .seconds(5), pause: Duration = .seconds(1)) {
        self.period = period
        self.pause = pause
    }

    /// How long a request arriving `elapsed` after the server's start waits; zero outside a pause.
    public func wait(at elapsed: Duration) -> Duration {
        guard period > .zero, pause > .zero else { return .zero }
        let periodNs = Self.nanoseconds(period)
        let pauseNs = min(Self.nanoseconds(pause), periodNs)
        let phase = Self.nanoseconds(elapsed) % periodNs
        let pauseStart = periodNs - pauseNs
        return phase >= pauseStart ? .nanoseconds(periodNs - phase) : .zero
    }

    private static func nanoseconds(_ d: Duration) -> Int64 {
        let (seconds, attoseconds) = d.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
