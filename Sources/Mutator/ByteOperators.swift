import StampedeCore

/// Byte-level havoc for bodies that are not JSON; positions avoid `{{placeholders}}`.
enum ByteOperators {
    /// A byte position outside every placeholder, or nil after a few tries.
    static func freePosition(_ count: Int, _ ranges: [Range<Int>], _ rng: inout SeededGenerator) -> Int? {
        guard count > 0 else { return nil }
        for _ in 0..<8 {
            let p = rng.next(below: count)
            if !ranges.contains(where: { $0.contains(p) }) { return p }
        }
        return nil
    }

    /// What `bytes.insert` draws from when it does not insert random bytes.
    static let insertions: [[UInt8]] = FuzzValues.invalidUTF8 + [Array("\r\n".utf8), Array("%00".utf8), [0], Array("&=".utf8)]

    static let all: [MutationOperator] = [
        MutationOperator("bytes.flip", [.body], requires: .rawBody) { ctx, rng in
            var bytes = ctx.bodyBytes()
            guard let p = freePosition(bytes.count, Placeholders.ranges(in: bytes), &rng) else { return nil }
            let bit = rng.next(below: 8)
            bytes[p] ^= UInt8(1) << UInt8(bit)
            ctx.setBodyBytes(bytes)
            return "bit \(bit) of byte \(p)"
        },
        MutationOperator("bytes.insert", [.body], requires: .rawBody) { ctx, rng in
            var bytes = ctx.bodyBytes()
            let p = Placeholders.safePosition(rng.next(below: bytes.count + 1), ranges: Placeholders.ranges(in: bytes))
            let insert: [UInt8]
            if rng.chance(0.5) {
                insert = (0..<rng.next(in: 1...8)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            } else {
                insert = rng.element(insertions)
            }
            bytes.insert(contentsOf: insert, at: p)
            ctx.setBodyBytes(bytes)
            return "\(insert.count) bytes at \(p)"
        },
        MutationOperator("bytes.delete", [.body], requires: .rawBody) { ctx, rng in
            var bytes = ctx.bodyBytes()
            let ranges = Placeholders.ranges(in: bytes)
            guard let p = freePosition(bytes.count, ranges, &rng) else { return nil }
            var end = min(bytes.count, p + rng.next(in: 1...16))
            // Stop before the next placeholder.
            if let next = ranges.first(where: { $0.lowerBound > p }), next.lowerBound < end { end = next.lowerBound }
            bytes.removeSubrange(p..<end)
            ctx.setBodyBytes(bytes)
            return "\(end - p) bytes at \(p)"
        },
        MutationOperator("bytes.splice", [.body], requires: [.rawBody, .donors]) { ctx, rng in
            guard !ctx.donors.isEmpty else { return nil }
            let bytes = ctx.bodyBytes()
            let donor = rng.element(ctx.donors)
            let a = Placeholders.safePosition(rng.next(below: bytes.count + 1), ranges: Placeholders.ranges(in: bytes))
            let b = Placeholders.safePosition(rng.next(below: donor.count + 1), ranges: Placeholders.ranges(in: donor))
            ctx.setBodyBytes(Array(bytes[..<a]) + Array(donor[b...]))
            return "\(a) bytes + donor from \(b)"
        },
    ]
}
