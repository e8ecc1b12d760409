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
        if let slot = admit() { fill(slot, with: session) }
    }

    /// Counts the next session of the corpus and says where it goes: a slot to ``fill(_:with:)``, or
    /// nil when the sample passes it over (the session need not even be decoded).
    package mutating func admit() -> Int? {
        defer { seen += 1 }
        if kept.count < capacity { return kept.count }
        let slot = rng.next(below: seen + 1)
        return slot < capacity ? slot : nil
    }

    /// Samples the sessions of a corpus file in one streaming pass, decoding only the ones admitted
    /// (``CorpusReader/read(admitting:_:)``); returns the scan (header, damage).
    @discardableResult
    package mutating func sample(_ reader: CorpusReader) throws -> CorpusScan {
        var slot: Int?
        return try reader.read(admitting: {
            slot = admit()
            return slot != nil
        }) { record in
            if case .session(let session) = record, let slot { fill(slot, with: session) }
        }
    }

    /// Puts the session last admitted into `slot`.
    package mutating func fill(_ slot: Int, with session: Session) {
        if slot == kept.count { kept.append((seen - 1, session)) } else { kept[slot] = (seen - 1, session) }
    }

    /// The kept sessions in corpus order, each with its 0-based index in the corpus.
    package var sample: [(index: Int, session: Session)] {
        kept.sorted { $0.index < $1.index }
    }
}
