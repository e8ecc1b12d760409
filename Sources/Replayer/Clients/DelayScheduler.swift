import Foundation
import StampedeEngine
import Synchronization

/// Runs actions after a delay on one timer thread, so pauses (poll intervals, open-model
/// pacing, reconnect backoff) never block an engine worker or hold a request permit.
///
/// Actions must be quick: they typically ask the limiter for a permit and submit a request.
final class DelayScheduler: Sendable {
    private typealias Action = @Sendable () -> Void

    private struct State: Sendable {
        var heap = DeadlineHeap<Action>()
        var stopped = false
    }

    private let state = Mutex(State())
    // NSCondition is documented thread-safe; it only guards the sleep, the heap has its own lock.
    private let condition = NSCondition()

    init() {
        let t = Thread { [self] in self.run() }
        t.name = "stampede-delay"
        t.start()
    }

    /// Runs `action` at `deadline` (at once if it has passed).
    func schedule(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) {
        let accepted = state.withLock { s -> Bool in
            guard !s.stopped else { return false }
            s.heap.push(action, at: deadline)
            return true
        }
        guard accepted else { return }
        condition.lock()
        condition.signal()
        condition.unlock()
    }

    func schedule(after delay: Duration, _ action: @escaping @Sendable () -> Void) {
        schedule(at: .now + delay, action)
    }

    /// Stops the thread; pending actions are dropped.
    func stop() {
        state.withLock { s in
            s.stopped = true
            s.heap.removeAll()
        }
        condition.lock()
        condition.signal()
        condition.unlock()
    }

    var pending: Int { state.withLock { $0.heap.count } }

    private func run() {
        while true {
            let (due, next, stopped) = state.withLock { s -> ([Action], ContinuousClock.Instant?, Bool) in
                var due: [Action] = []
                let now = ContinuousClock.now
                while let action = s.heap.popDue(now: now) { due.append(action) }
                return (due, s.heap.nextInstant, s.stopped)
            }
            if stopped { return }
            for action in due { action() }
            if !due.isEmpty { continue }
            condition.lock()
            // Re-check under the condition's lock: a schedule() between our peek and this wait
            // signals only after we wait, because it takes the same lock to signal.
            let latest = state.withLock { s in (s.heap.nextInstant, s.stopped) }
            if !latest.1 && latest.0 == next {
                if let next {
                    let seconds = Double((next - .now) / .microseconds(1)) / 1_000_000
                    if seconds > 0 { _ = condition.wait(until: Date(timeIntervalSinceNow: seconds)) }
                } else {
                    condition.wait()
                }
            }
            condition.unlock()
        }
    }
}
