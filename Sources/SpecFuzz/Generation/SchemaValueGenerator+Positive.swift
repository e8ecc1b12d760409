import OpenAPIKit
import StampedeCore

extension SchemaValueGenerator {
    func integerCandidates(_ context: JSONSchema.IntegerContext, format: String, rng: inout SeededGenerator) -> [JSONValue] {
        var low = context.minimum.map { $0.exclusive ? Self.saturating($0.value, 1) : $0.value }
        var high = context.maximum.map { $0.exclusive ? Self.saturating($0.value, -1) : $0.value }
        if format == "int32" {
            low = max(low ?? Int(Int32.min), Int(Int32.min))
            high = min(high ?? Int(Int32.max), Int(Int32.max))
        }
        var values = [low, high].compactMap { $0 }
        let lo = low ?? Self.saturating(high ?? 0, -100)
        let hi = high ?? Self.saturating(lo, 100)
        if lo <= hi {
            let span = hi.subtractingReportingOverflow(lo)
            let width = span.overflow ? 1_000_000 : min(span.partialValue, 1_000_000)
            values.append(Self.saturating(lo, rng.next(below: width + 1)))
            values += [0, 1, -1].filter { lo <= $0 && $0 <= hi }
        }
        if let step = context.multipleOf, step > 0 {
            // Round up to a multiple; a value pushed past the maximum is dropped by the validator.
            values = values.map { value in
                let remainder = value % step
                return remainder == 0 ? value : Self.saturating(value, remainder > 0 ? step - remainder : -remainder)
            }
        }
        return values.map(JSONValue.int)
    }

    func numberCandidates(_ context: JSONSchema.NumericContext, format: String, rng: inout SeededGenerator) -> [JSONValue] {
        let low = context.minimum.map { $0.exclusive ? $0.value.nextUp : $0.value }
        let high = context.maximum.map { $0.exclusive ? $0.value.nextDown : $0.value }
        var values = [low, high].compactMap { $0 }
        let lo = low ?? (high ?? 0) - 100
        let hi = high ?? lo + 100
        if lo <= hi {
            let middle = lo + (hi - lo) * rng.nextUnit()
            values.append((middle * 100).rounded() / 100)
            values += [0, 1.5, -1].filter { lo <= $0 && $0 <= hi }
        }
        if let step = context.multipleOf, step > 0 {
            values = values.map { ($0 / step).rounded(.up) * step }
        }
        return values.map(JSONValue.double)
    }

    func stringCandidates(_ context: JSONSchema.StringContext, format: String, rng: inout SeededGenerator) -> [JSONValue] {
        if let formatted = Self.formatted(format, rng: &rng) { return formatted.map(JSONValue.string) }
        let minimum = context.minLength
        let maximum = min(context.maxLength ?? (minimum + 16), minimum + Self.longestString)
        var lengths = [minimum, maximum]
        if maximum > minimum { lengths.append(minimum + rng.next(below: maximum - minimum + 1)) }
        var values = lengths.map { Self.word(length: $0, rng: &rng) }
        if context.pattern != nil {
            // No regex inversion: common shapes, one of which often matches; examples are tried too.
            values += ["a", "abc", "abc123", "A1", "x_y-z", "0", "42", "a.b", "a@example.com", "2026-01-31", "ABC"]
        }
        return values.map(JSONValue.string)
    }

    /// Longest string generated beyond `minLength` (a 10,000-character `maxLength` gets minLength + this).
    static let longestString = 4_096

    func arrayCandidates(_ context: DereferencedJSONSchema.ArrayContext, depth: Int, rng: inout SeededGenerator) -> [JSONValue] {
        let itemSchema = context.items ?? .fragment(.init())
        var items = depth < Self.maximumDepth ? candidates(itemSchema, depth: depth + 1, rng: &rng) : []
        items = items.filter { validator.isValid($0, against: itemSchema) }
        guard !items.isEmpty else { return context.minItems == 0 ? [.array([])] : [] }
        let minimum = context.minItems
        let maximum = min(context.maxItems ?? (minimum + 3), minimum + 8)
        var arrays = [minimum, maximum].map { count in JSONValue.array((0..<count).map { items[$0 % items.count] }) }
        if (minimum...max(minimum, maximum)).contains(items.count) { arrays.append(.array(items)) }
        return arrays
    }

    func objectCandidates(_ context: DereferencedJSONSchema.ObjectContext, depth: Int, rng: inout SeededGenerator) -> [JSONValue] {
        var cases: [(key: String, values: [JSONValue])] = []
        for (key, property) in context.properties {
            let values = depth < Self.maximumDepth ? candidates(property, depth: depth + 1, rng: &rng) : []
            cases.append((key, values.filter { validator.isValid($0, against: property) }))
        }
        let required = Set(context.requiredProperties)
        let usable = cases.filter { !$0.values.isEmpty }
        let minimal = JSONValue.object(usable.filter { required.contains($0.key) }.map { JSONMember($0.key, $0.values[0]) })
        let full = usable.map { JSONMember($0.key, $0.values[0]) }
        var objects = [minimal, .object(full)]
        // One variant per further value of each member: every enum value and boundary appears somewhere.
        for (index, member) in usable.enumerated() {
            for value in member.values.dropFirst().prefix(6) {
                var variant = full
                variant[index].value = value
                objects.append(.object(variant))
            }
        }
        return objects
    }

    /// `a + b` clamped to `Int`'s range.
    static func saturating(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? Int.max : Int.min) : sum
    }

    /// Lowercase letters and digits, starting with a letter: safe in a path, a query, a header and a cookie.
    static func word(length: Int, rng: inout SeededGenerator) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let alphabet = letters + Array("0123456789")
        return String((0..<length).map { $0 == 0 ? letters[rng.next(below: letters.count)] : alphabet[rng.next(below: alphabet.count)] })
    }

    /// Valid strings of a checked format (boundaries of the format first), or nil for other formats.
    static func formatted(_ format: String, rng: inout SeededGenerator) -> [String]? {
        switch format {
        case "date-time": ["2026-01-31T12:34:56Z", "1970-01-01T00:00:00.5+02:00", "2024-02-29T23:59:59-05:30"]
        case "date": ["2026-01-31", "2024-02-29", "1970-01-01"]
        case "time": ["12:34:56Z", "00:00:00+01:00", "23:59:59.999Z"]
        case "uuid": [rng.uuidString(), "00000000-0000-0000-0000-000000000000"]
        case "email": ["user\(rng.next(below: 10_000))@example.com", "a@b.co"]
        case "ipv4": ["127.0.0.1", "0.0.0.0", "255.255.255.255"]
        default: nil
        }
    }
}
