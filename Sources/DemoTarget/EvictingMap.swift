/// A dictionary that remembers insertion order and evicts its oldest entries past a count or cost budget.
///
/// This is what keeps the demo target's memory flat under hours of load: sessions, executions and
/// saved scripts all live in one of these.
struct EvictingMap<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private var entries: [Key: (value: Value, sequence: UInt64)] = [:]
    // Insertion order; entries whose sequence no longer matches were removed or replaced and are skipped.
    private var order: [(key: Key, sequence: UInt64)] = []
    private var head = 0
    private var nextSequence: UInt64 = 0
    private(set) var totalCost = 0

    let capacity: Int
    let costLimit: Int
    let cost: @Sendable (Value) -> Int

    init(capacity: Int, costLimit: Int = .max, cost: @escaping @Sendable (Value) -> Int = { _ in 0 }) {
        self.capacity = max(1, capacity)
        self.costLimit = costLimit
        self.cost = cost
    }

    var count: Int { entries.count }

    subscript(key: Key) -> Value? {
        entries[key]?.value
    }

    /// Inserts or replaces `value`; a replaced entry keeps its age. Returns the entries evicted to make room.
    @discardableResult
    mutating func set(_ value: Value, for key: Key) -> [(key: Key, value: Value)] {
        if let existing = entries[key] {
            totalCost += cost(value) - cost(existing.value)
            entries[key] = (value, existing.sequence)
        } else {
            nextSequence += 1
            entries[key] = (value, nextSequence)
            order.append((key, nextSequence))
            totalCost += cost(value)
        }
        return evictIfNeeded(protecting: key)
    }

    /// Removes `key`, returning its value.
    @discardableResult
    mutating func remove(_ key: Key) -> Value? {
        guard let existing = entries.removeValue(forKey: key) else { return nil }
        totalCost -= cost(existing.value)
        compactIfNeeded()
        return existing.value
    }

    /// Values from oldest to newest.
    var valuesInOrder: [Value] {
        var values: [Value] = []
        values.reserveCapacity(entries.count)
        for index in head..<order.count {
            let slot = order[index]
            if let entry = entries[slot.key], entry.sequence == slot.sequence {
                values.append(entry.value)
            }
        }
        return values
    }

    /// All values, in no particular order.
    var values: some Collection<Value> {
        entries.values.lazy.map(\.value)
    }

    private mutating func evictIfNeeded(protecting protected: Key) -> [(key: Key, value: Value)] {
        var evicted: [(key: Key, value: Value)] = []
        while entries.count > capacity || (totalCost > costLimit && entries.count > 1), head < order.count {
            let slot = order[head]
            head += 1
            guard let entry = entries[slot.key], entry.sequence == slot.sequence else { continue }
            if slot.key == protected {
                // The entry just written is never its own victim; it goes back to the end of the queue.
                order.append(slot)
                continue
            }
            entries.removeValue(forKey: slot.key)
            totalCost -= cost(entry.value)
            evicted.append((slot.key, entry.value))
        }
        compactIfNeeded()
        return evicted
    }

    private mutating func compactIfNeeded() {
        let live = order.count - head
        if live > 2 * entries.count + 1024 {
            order = order[head...].filter { slot in entries[slot.key]?.sequence == slot.sequence }
            head = 0
        } else if head > 1024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}
