import Synchronization

/// Plan items handed out later, to the first caller that can use one: first-pass mutants and
/// schema cases that wait for a monkey that has bound their variables, and schema cases sent again.
/// Shared by every client; the count lets callers skip the lock while nothing waits.
package final class DeferredItems: Sendable {
    private let items = Mutex<[Int]>([])
    private let waiting = Atomic<Int>(0)

    package init() {}

    /// How many items wait.
    package var count: Int { waiting.load(ordering: .relaxed) }

    package func append(_ item: Int) {
        items.withLock { $0.append(item) }
        waiting.add(1, ordering: .relaxed)
    }

    /// Removes and returns the first waiting item that is `ready`; nil when none is.
    package func take(where ready: (Int) -> Bool) -> Int? {
        guard count > 0 else { return nil }
        return items.withLock { items -> Int? in
            guard let k = items.firstIndex(where: ready) else { return nil }
            waiting.subtract(1, ordering: .relaxed)
            return items.remove(at: k)
        }
    }
}
