/// A uniform, seeded random sample of a corpus's sessions, taken in one streaming pass
/// (Algorithm R), so a command that needs a few sessions of a huge corpus holds at most
/// `capacity` of them. A corpus of at most `capacity` sessions is kept whole, in order.
package struct SessionReservoir {
    package let capacity: Int
    private var rng: SeededGenerator
    /// Sessions offered so far.
    package private(set) var seen = 0
    private var kept: [(index: Int, session: Session)] = []

    package init(capacity: Int, seed: UInt64) {
        self.capacity = max(1, capacity)
        self.rng = SeededGenerator(seed: seed, 0x5E55_1045)
    }

    package mutating func offer(_ session: Session) {
        defer { seen += 1 }
        if kept.count < capacity {
            kept.append((seen, session))
            return
        }
        let slot = rng.next(below: seen + 1)
        if slot < capacity { kept[slot] = (seen, session) }
    }

    /// The kept sessions in corpus order, each with its 0-based index in the corpus.
    package var sample: [(index: Int, session: Session)] {
        kept.sorted { $0.index < $1.index }
    }
}
