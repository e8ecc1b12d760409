/// A small, fast, seeded random generator (xoshiro256**, seeded through SplitMix64).
///
/// The same seed yields the same sequence on every machine and Swift version, as long as callers
/// draw through the helpers here (`next(below:)`, `chance(_:)`, `pick(_:)`) rather than the
/// standard library's `random(in:using:)`, whose algorithm is not a stability promise.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64

    /// The generator for `seed`; the same seed gives the same numbers everywhere.
    public init(seed: UInt64) {
        var sm = seed
        func splitmix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix()
        s1 = splitmix()
        s2 = splitmix()
        s3 = splitmix()
    }

    /// Derives an independent generator from several numbers (e.g. seed, session, step).
    /// Inlinable so that the variadic array stays on the caller's stack (the mutator makes several per mutant).
    @inlinable
    public init(seed: UInt64, _ streams: UInt64...) {
        var mixed = seed
        for stream in streams {
            mixed = SeededGenerator.mix(mixed, stream)
        }
        self.init(seed: mixed)
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    /// A uniform value in `0..<bound` (Lemire's method, unbiased); `bound` must be > 0.
    public mutating func next(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold {
                m = next().multipliedFullWidth(by: b)
            }
        }
        return Int(m.high)
    }

    /// A uniform value in a closed range.
    public mutating func next(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + next(below: range.upperBound - range.lowerBound + 1)
    }

    /// A uniform double in `0..<1` (53 bits).
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// True with the given probability.
    public mutating func chance(_ probability: Double) -> Bool {
        nextUnit() < probability
    }

    /// A uniformly chosen element; `nil` for an empty collection.
    public mutating func pick<C: Collection>(_ collection: C) -> C.Element? {
        guard !collection.isEmpty else { return nil }
        return collection[collection.index(collection.startIndex, offsetBy: next(below: collection.count))]
    }

    /// An index chosen with probability proportional to its weight; `nil` if all weights are ≤ 0.
    public mutating func pickWeighted(_ weights: [Double]) -> Int? {
        pickWeighted(weights, total: weights.reduce(0) { $0 + max(0, $1) })
    }

    /// `pickWeighted(_:)` for a caller that has summed `max(0, weight)` in order already.
    package mutating func pickWeighted(_ weights: [Double], total: Double) -> Int? {
        weights.withUnsafeBufferPointer { pickWeighted($0, total: total) }
    }

    /// `pickWeighted(_:total:)` over a buffer (the mutator keeps its table on the stack).
    package mutating func pickWeighted(_ weights: UnsafeBufferPointer<Double>, total: Double) -> Int? {
        guard total > 0 else { return nil }
        var x = nextUnit() * total
        for (i, w) in weights.enumerated() where w > 0 {
            if x < w { return i }
            x -= w
        }
        return weights.lastIndex { $0 > 0 }
    }

    /// One stream folded into a seed.
    @usableFromInline
    static func mix(_ seed: UInt64, _ stream: UInt64) -> UInt64 {
        mix(seed ^ (stream &* 0x9E37_79B9_7F4A_7C15))
    }

    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 &- k))
    }
}

/// Draws shared by the Mutator and PropertyCheck.
extension SeededGenerator {
    /// A uniformly chosen element of a non-empty array.
    package mutating func element<T>(_ array: [T]) -> T {
        array[next(below: array.count)]
    }

    /// A version-4 UUID string in lowercase.
    package mutating func uuidString() -> String {
        let a = next(), b = next()
        var bytes: [UInt8] = []
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: a >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: b >> UInt64(shift))) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for (i, byte) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
