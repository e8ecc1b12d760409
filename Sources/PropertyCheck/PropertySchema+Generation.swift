public import StampedeCore

extension PropertySchema {
    /// Share of generated leaves that keep their recorded exemplar value.
    static let exemplarShare = 0.5

    /// A random valid value; the same generator state always gives the same value.
    public func generate(using rng: inout SeededGenerator) -> JSONValue {
        if nullable, rng.chance(0.1) { return .null }
        switch shape {
        case .any(let depth):
            return Self.anyValue(depth: depth, using: &rng)
        case .null:
            return .null
        case .boolean:
            if let exemplar, rng.chance(Self.exemplarShare) { return exemplar }
            return .bool(rng.chance(0.5))
        case .integer(let range):
            if let exemplar, rng.chance(Self.exemplarShare) { return exemplar }
            return .int(Self.integer(in: range, using: &rng))
        case .number(let range):
            if let exemplar, rng.chance(Self.exemplarShare) { return exemplar }
            return .double(Self.number(in: range, using: &rng))
        case .string(let rule):
            if let exemplar, rng.chance(Self.exemplarShare) { return exemplar }
            return .string(rule.generate(using: &rng))
        case .oneOf(let values):
            return rng.pick(values) ?? .null
        case .array(let items, let count):
            let n = Self.count(in: count, using: &rng)
            return .array((0..<n).map { _ in items.generate(using: &rng) })
        case .object(let fields):
            var members: [JSONMember] = []
            for field in fields where field.required || rng.chance(0.6) {
                members.append(JSONMember(field.name, field.schema.generate(using: &rng)))
            }
            return .object(members)
        case .map(let keys, let values, let count):
            let n = Self.count(in: count, using: &rng)
            var members: [JSONMember] = []
            var seen: Set<String> = []
            // Duplicate keys are redrawn a bounded number of times; a narrow key rule may yield fewer entries.
            var attempts = 0
            while members.count < n, attempts < n * 8 {
                attempts += 1
                let key = keys.generate(using: &rng)
                guard seen.insert(key).inserted else { continue }
                members.append(JSONMember(key, values.generate(using: &rng)))
            }
            return .object(members)
        }
    }

    /// A count biased towards small values, as small inputs find most bugs and shrink fastest.
    static func count(in range: ClosedRange<Int>, using rng: inout SeededGenerator) -> Int {
        if rng.chance(0.5) { return rng.next(in: range.lowerBound...min(range.upperBound, range.lowerBound + 3)) }
        return rng.next(in: range)
    }

    /// Boundaries, small values and uniform draws, mixed.
    static func integer(in range: ClosedRange<Int>, using rng: inout SeededGenerator) -> Int {
        switch rng.next(below: 4) {
        case 0: return rng.pick([range.lowerBound, range.upperBound, min(max(0, range.lowerBound), range.upperBound)]) ?? 0
        case 1: return min(max(rng.next(in: -16...16), range.lowerBound), range.upperBound)
        default:
            // Uniform over the range without overflowing when it spans most of Int.
            let width = range.upperBound.subtractingReportingOverflow(range.lowerBound)
            if width.overflow || width.partialValue == Int.max { return Int(truncatingIfNeeded: rng.next()) }
            return range.lowerBound + rng.next(below: width.partialValue + 1)
        }
    }

    static func number(in range: ClosedRange<Double>, using rng: inout SeededGenerator) -> Double {
        switch rng.next(below: 3) {
        case 0: return rng.pick([range.lowerBound, range.upperBound, min(max(0, range.lowerBound), range.upperBound)]) ?? 0
        default:
            let low = max(range.lowerBound, -1e9)
            let high = min(range.upperBound, 1e9)
            return low + rng.nextUnit() * (high - low)
        }
    }

    static func anyValue(depth: Int, using rng: inout SeededGenerator) -> JSONValue {
        let kinds = depth > 0 ? 7 : 5
        switch rng.next(below: kinds) {
        case 0: return .null
        case 1: return .bool(rng.chance(0.5))
        case 2: return .int(integer(in: Int(Int32.min)...Int(Int32.max), using: &rng))
        case 3: return .double(number(in: -1e6...1e6, using: &rng))
        case 4: return .string(PropertyStringRule(length: 0...16).generate(using: &rng))
        case 5: return .array((0..<count(in: 0...4, using: &rng)).map { _ in anyValue(depth: depth - 1, using: &rng) })
        default:
            let n = count(in: 0...4, using: &rng)
            var members: [JSONMember] = []
            for _ in 0..<n {
                let key = PropertyStringRule(length: 0...8).generate(using: &rng)
                if members.contains(where: { $0.key == key }) { continue }
                members.append(JSONMember(key, anyValue(depth: depth - 1, using: &rng)))
            }
            return .object(members)
        }
    }
}

extension PropertyStringRule {
    /// A random string satisfying the rule.
    public func generate(using rng: inout SeededGenerator) -> String {
        switch format {
        case nil:
            return text(length: PropertySchema.count(in: length, using: &rng), using: &rng)
        case .email:
            // local@domain, each part arbitrary text in the alphabet; `@` itself is kept out of the parts.
            let total = max(PropertySchema.count(in: max(length.lowerBound, 3)...max(length.upperBound, 3), using: &rng), 3)
            let localLength = 1 + rng.next(below: total - 2)
            let domainLength = total - 1 - localLength
            var domain = rng.chance(0.5) && domainLength >= 3
                ? asciiDomain(length: domainLength, using: &rng) : text(length: domainLength, excludingAt: true, using: &rng)
            if domain.isEmpty { domain = "a" }
            return text(length: localLength, excludingAt: true, using: &rng) + "@" + domain
        case .uuid: return rng.uuidString()
        case .date: return StringFormats.date(using: &rng)
        case .dateTime: return StringFormats.dateTime(using: &rng)
        }
    }

    private func asciiDomain(length: Int, using rng: inout SeededGenerator) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz0123456789-")
        var out = ""
        let dot = 1 + rng.next(below: length - 2)
        for i in 0..<length { out.append(i == dot ? "." : (rng.pick(letters) ?? "a")) }
        return out
    }

    private func text(length: Int, excludingAt: Bool = false, using rng: inout SeededGenerator) -> String {
        var scalars = String.UnicodeScalarView()
        while scalars.count < length {
            let scalar = Self.randomScalar(alphabet: alphabet, using: &rng)
            if allows(scalar), !(excludingAt && scalar == "@") { scalars.append(scalar) }
        }
        return String(scalars)
    }

    /// Mostly printable ASCII, with control characters, the rest of the BMP, astral planes and a
    /// few notorious characters (NUL, BOM, zero-width space, line separator, combining marks).
    static func randomScalar(alphabet: Alphabet, using rng: inout SeededGenerator) -> Unicode.Scalar {
        let value: Int
        if alphabet == .printableASCII {
            value = rng.next(in: 0x20...0x7E)
        } else {
            switch rng.next(below: 20) {
            case 0..<11: value = rng.next(in: 0x20...0x7E)
            case 11, 12: value = rng.pick([0x00, 0x09, 0x0A, 0x0D, 0x1B, 0x7F]) ?? 0
            case 13...16: value = rng.next(in: 0x80...0xFFFF)
            case 17: value = rng.next(in: 0x10000...0x10FFFF)
            default: value = rng.pick([0xFEFF, 0x200B, 0x2028, 0x0301, 0xFFFD, 0x1F600, 0x00A0, 0x3000]) ?? 0xFFFD
            }
        }
        // Surrogate code points are not scalars; fold them onto the replacement character.
        return Unicode.Scalar(UInt32(value)) ?? "\u{FFFD}"
    }
}
