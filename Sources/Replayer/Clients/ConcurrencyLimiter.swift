import Synchronization

/// Something that waits for a request permit.
protocol PermitWaiter: AnyObject, Sendable {
    /// Called with a permit in hand; the waiter must send a request or give the permit back.
    func permitGranted()
}

/// The cap on requests in flight across all clients (`--concurrency`).
///
/// A client that finds no free permit parks in a FIFO queue instead of blocking a thread; the
/// next release hands the permit straight to the longest-waiting client, so every client gets
/// its turn (the original capped clients instead of requests, so only `concurrency` ever ran).
final class ConcurrencyLimiter: Sendable {
    private struct State: Sendable {
        var available: Int
        var queue: [any PermitWaiter] = []
        var head = 0
        var held = 0
        var maxHeld = 0

        mutating func pop() -> (any PermitWaiter)? {
            guard head < queue.count else { return nil }
            let waiter = queue[head]
            head += 1
            // Compact once the consumed prefix dominates, so the array does not grow forever.
            if head > 64 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            return waiter
        }
    }

    let permits: Int
    private let state: Mutex<State>

    init(permits: Int) {
        self.permits = max(1, permits)
        state = Mutex(State(available: max(1, permits)))
    }

    /// Takes a permit now (`true`), or queues `waiter` to receive one later (`false`).
    func acquire(or waiter: any PermitWaiter) -> Bool {
        state.withLock { s in
            if s.available > 0 {
                s.available -= 1
                s.held += 1
                s.maxHeld = max(s.maxHeld, s.held)
                return true
            }
            s.queue.append(waiter)
            return false
        }
    }

    /// Gives a permit back; returns the waiter it was handed to, which the caller must resume
    /// (outside any lock) with `permitGranted()`.
    func release() -> (any PermitWaiter)? {
        state.withLock { s in
            if let next = s.pop() { return next }
            s.available += 1
            s.held -= 1
            return nil
        }
    }

    /// Gives a permit back and resumes whoever it was handed to.
    func releaseAndResume() {
        release()?.permitGranted()
    }

    /// Empties the wait queue (at the end of a run) and returns the waiters it held.
    func drainWaiters() -> [any PermitWaiter] {
        state.withLock { s in
            let waiting = Array(s.queue[s.head...])
            s.queue = []
            s.head = 0
            return waiting
        }
    }

    /// Permits currently held.
    var held: Int { state.withLock { $0.held } }
    /// The most permits ever held at once.
    var maxHeld: Int { state.withLock { $0.maxHeld } }
    var waiting: Int { state.withLock { $0.queue.count - $0.head } }
}
