import Foundation
import Synchronization

/// Runs actions after a delay on one timer thread, so pauses (poll intervals, open-model
/// pacing, reconnect backoff) never block an engine worker or hold a request permit.
///
/// Actions must be quick: they typically ask the limiter for a permit and submit a request.
final class DelayScheduler: Sendable {
    private struct Entry: Sendable {
        var deadline: ContinuousClock.Instant
        var sequence: UInt64
        var action: @Sendable () -> Void
    }

    private struct State: Sendable {
        var heap: [Entry] = []
        var sequence: UInt64 = 0
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
            s.sequence += 1
            s.heap.append(Entry(deadline: deadline, sequence: s.sequence, action: action))
            Self.siftUp(&s.heap, s.heap.count - 1)
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
            let (due, next, stopped) = state.withLock { s -> ([Entry], ContinuousClock.Instant?, Bool) in
                var due: [Entry] = []
                let now = ContinuousClock.now
                while let top = s.heap.first, top.deadline <= now {
                    due.append(Self.popMin(&s.heap))
                }
                return (due, s.heap.first?.deadline, s.stopped)
            }
            if stopped { return }
            for entry in due { entry.action() }
            if !due.isEmpty { continue }
            condition.lock()
            // Re-check under the condition's lock: a schedule() between our peek and this wait
            // signals only after we wait, because it takes the same lock to signal.
            let latest = state.withLock { s in (s.heap.first?.deadline, s.stopped) }
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

    private static func less(_ a: Entry, _ b: Entry) -> Bool {
        a.deadline < b.deadline || (a.deadline == b.deadline && a.sequence < b.sequence)
    }

    private static func siftUp(_ heap: inout [Entry], _ index: Int) {
        var i = index
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(heap[i], heap[parent]) else { return }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private static func popMin(_ heap: inout [Entry]) -> Entry {
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && less(heap[l], heap[m]) { m = l }
                if r < heap.count && less(heap[r], heap[m]) { m = r }
                if m == i { break }
                heap.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}
