import Synchronization

/// Counts requests actually handed to the engine and not yet completed, and the peak.
///
/// Independent of the limiter's bookkeeping, so the report's `max_in_flight` checks the cap
/// rather than restating it.
final class InFlightGauge: Sendable {
    private let current = Atomic<Int>(0)
    private let peak = Atomic<Int>(0)
    /// The peak since the last `takeWindowPeak()` (the timeline's in-flight series).
    private let windowPeak = Atomic<Int>(0)

    func enter() {
        let now = current.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue
        Self.raise(peak, to: now)
        Self.raise(windowPeak, to: now)
    }

    private static func raise(_ atomic: borrowing Atomic<Int>, to value: Int) {
        var seen = atomic.load(ordering: .relaxed)
        while value > seen {
            let (exchanged, original) = atomic.compareExchange(expected: seen, desired: value, ordering: .relaxed)
            if exchanged { break }
            seen = original
        }
    }

    /// The most requests in flight since the previous call; starts the next window at the current value.
    func takeWindowPeak() -> Int {
        windowPeak.exchange(current.load(ordering: .relaxed), ordering: .relaxed)
    }

    func leave() {
        current.wrappingSubtract(1, ordering: .acquiringAndReleasing)
    }

    var value: Int { current.load(ordering: .relaxed) }
    var maximum: Int { peak.load(ordering: .relaxed) }
}
