/// A min-heap of jobs by scheduled start instant (first-in first-out among equal instants).
struct ScheduleHeap {
    private struct Entry {
        var at: ContinuousClock.Instant
        var sequence: Int
        var job: WorkerJob

        func precedes(_ other: Entry) -> Bool {
            at < other.at || (at == other.at && sequence < other.sequence)
        }
    }

    private var entries: [Entry] = []
    private var nextSequence = 0

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }
    var nextInstant: ContinuousClock.Instant? { entries.first?.at }

    mutating func push(_ job: WorkerJob, at: ContinuousClock.Instant) {
        entries.append(Entry(at: at, sequence: nextSequence, job: job))
        nextSequence += 1
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].precedes(entries[parent]) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest job if it is due at `now`.
    mutating func popDue(now: ContinuousClock.Instant) -> WorkerJob? {
        guard let first = entries.first, first.at <= now else { return nil }
        return popFirst()
    }

    mutating func popFirst() -> WorkerJob? {
        guard !entries.isEmpty else { return nil }
        entries.swapAt(0, entries.count - 1)
        let job = entries.removeLast().job
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
        return job
    }
}
