import Synchronization

/// Counts requests actually handed to the engine and not yet completed, and the peak.
///
/// Independent of the limiter's bookkeeping, so the report's `max_in_flight` checks the cap
/// rather than restating it.
final class InFlightGauge: Sendable {
    private let current = Atomic<Int>(0)
    private let peak = Atomic<Int>(0)

    func enter() {
        let now = current.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue
        var seen = peak.load(ordering: .relaxed)
        while now > seen {
            let (exchanged, original) = peak.compareExchange(expected: seen, desired: now, ordering: .relaxed)
            if exchanged { break }
            seen = original
        }
    }

    func leave() {
        current.wrappingSubtract(1, ordering: .acquiringAndReleasing)
    }

    var value: Int { current.load(ordering: .relaxed) }
    var maximum: Int { peak.load(ordering: .relaxed) }
}
