/// A min-heap of elements by deadline, first-in first-out among equal deadlines: the engine's
/// scheduled request starts and the Replayer's delayed actions share it.
package struct DeadlineHeap<Element> {
    fileprivate struct Entry {
        var at: ContinuousClock.Instant
        var sequence: UInt64
        var element: Element

        func precedes(_ other: Entry) -> Bool {
            at < other.at || (at == other.at && sequence < other.sequence)
        }
    }

    private var entries: [Entry] = []
    private var nextSequence: UInt64 = 0

    /// An empty heap.
    package init() {}

    package var isEmpty: Bool { entries.isEmpty }
    package var count: Int { entries.count }
    /// The earliest deadline, if any.
    package var nextInstant: ContinuousClock.Instant? { entries.first?.at }

    package mutating func push(_ element: Element, at: ContinuousClock.Instant) {
        entries.append(Entry(at: at, sequence: nextSequence, element: element))
        nextSequence += 1
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].precedes(entries[parent]) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest element if its deadline is at or before `now`.
    package mutating func popDue(now: ContinuousClock.Instant) -> Element? {
        guard let first = entries.first, first.at <= now else { return nil }
        return popFirst()
    }

    /// Removes and returns the earliest element, due or not.
    package mutating func popFirst() -> Element? {
        guard !entries.isEmpty else { return nil }
        entries.swapAt(0, entries.count - 1)
        let element = entries.removeLast().element
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < entries.count, entries[left].precedes(entries[smallest]) { smallest = left }
            if right < entries.count, entries[right].precedes(entries[smallest]) { smallest = right }
            if smallest == parent { break }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
        return element
    }

    /// Drops every element.
    package mutating func removeAll() {
        entries.removeAll()
    }
}

extension DeadlineHeap: Sendable where Element: Sendable {}
extension DeadlineHeap.Entry: Sendable where Element: Sendable {}
