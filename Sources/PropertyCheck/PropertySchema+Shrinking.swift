public import StampedeCore

extension PropertySchema {
    /// Valid values one step simpler than `value`, simplest kinds of step first.
    ///
    /// Every candidate conforms to the schema and is strictly smaller under a well-founded order
    /// (fewer members or elements, shorter strings, characters nearer `a`, numbers nearer 0, `false`
    /// before `true`, earlier enum values), so greedy shrinking always terminates. Structural steps
    /// (drop an optional member or an element, cut a string) come before value steps.
    public func shrinkCandidates(of value: JSONValue) -> [JSONValue] {
        // Each level only yields values valid at that level, built from children's valid candidates,
        // so no candidate needs a whole-tree check (that made shrinking quadratic in the tree size).
        var out: [JSONValue] = []
        if nullable, value != .null { out.append(.null) }
        switch (shape, value) {
        case (.any(let depth), _):
            out += Self.anyCandidates(of: value, depth: depth)
        case (.boolean, .bool(true)):
            out.append(.bool(false))
        case (.integer(let range), .number(let number)):
            if let int = Int(number.text) { out += Self.integerCandidates(int, in: range).map { .int($0) } }
        case (.number(let range), .number(let number)):
            let x = number.value
            let target = min(max(0, range.lowerBound), range.upperBound)
            for candidate in [target, x.rounded(.towardZero), x / 2] where abs(candidate - target) < abs(x - target) {
                out.append(.double(candidate))
            }
        case (.string(let rule), .string(let text)):
            out += rule.shrinkCandidates(of: text).map { .string($0) }
        case (.oneOf(let values), _):
            if let index = values.firstIndex(of: value) { out += values[..<index] }
        case (.array(let items, let count), .array(let elements)):
            out += Self.removals(from: elements).filter { count.contains($0.count) }.map { .array($0) }
            for (i, element) in elements.enumerated() {
                for candidate in items.shrinkCandidates(of: element) {
                    var copy = elements
                    copy[i] = candidate
                    out.append(.array(copy))
                }
            }
        case (.object(let fields), .object(let members)):
            out += Self.objectCandidates(members, fields: fields)
        case (.map(let keys, let values, let count), .object(let members)):
            out += Self.mapCandidates(members, keys: keys, values: values, count: count)
        default:
            break
        }
        return out
    }

    /// An object with fixed fields: drop an optional member, then shrink each member's value.
    private static func objectCandidates(_ members: [JSONMember], fields: [PropertyField]) -> [JSONValue] {
        var out: [JSONValue] = []
        for (i, member) in members.enumerated() where fields.first(where: { $0.name == member.key })?.required == false {
            var copy = members
            copy.remove(at: i)
            out.append(.object(copy))
        }
        for (i, member) in members.enumerated() {
            guard let field = fields.first(where: { $0.name == member.key }) else { continue }
            for candidate in field.schema.shrinkCandidates(of: member.value) {
                var copy = members
                copy[i].value = candidate
                out.append(.object(copy))
            }
        }
        return out
    }

    /// A map: drop members (within `count`), then shrink each key (to one not taken) and value.
    private static func mapCandidates(
        _ members: [JSONMember], keys: PropertyStringRule, values: PropertySchema, count: ClosedRange<Int>
    ) -> [JSONValue] {
        var out: [JSONValue] = []
        out += Self.removals(from: members).filter { count.contains($0.count) }.map { .object($0) }
        for (i, member) in members.enumerated() {
            for candidate in keys.shrinkCandidates(of: member.key) where !members.contains(where: { $0.key == candidate }) {
                var copy = members
                copy[i].key = candidate
                out.append(.object(copy))
            }
            for candidate in values.shrinkCandidates(of: member.value) {
                var copy = members
                copy[i].value = candidate
                out.append(.object(copy))
            }
        }
        return out
    }

    /// Everything but the first half, everything but the second half, then each single removal.
    static func removals<T>(from items: [T]) -> [[T]] {
        guard !items.isEmpty else { return [] }
        var out: [[T]] = [[]]
        if items.count > 2 {
            out.append(Array(items[(items.count / 2)...]))
            out.append(Array(items[..<(items.count / 2)]))
        }
        for i in items.indices {
            var copy = items
            copy.remove(at: i)
            out.append(copy)
        }
        return out
    }

    /// The in-range value nearest 0 first, then ever-smaller steps from `n` towards it.
    static func integerCandidates(_ n: Int, in range: ClosedRange<Int>) -> [Int] {
        let target = min(max(0, range.lowerBound), range.upperBound)
        guard n != target else { return [] }
        var out = [target]
        if n < 0, n != Int.min, range.contains(-n), -n != target { out.append(-n) }
        // n - d for d = distance/2, distance/4, …, 1 (all strictly nearer the target than n).
        let distance = n.magnitude > target.magnitude ? n.magnitude - target.magnitude : target.magnitude - n.magnitude
        var step = distance / 2
        while step > 0 {
            let candidate = n > target ? n - Int(step) : n + Int(step)
            if !out.contains(candidate) { out.append(candidate) }
            step /= 2
        }
        let last = n > target ? n - 1 : n + 1
        if !out.contains(last) { out.append(last) }
        return out
    }

    static func anyCandidates(of value: JSONValue, depth: Int) -> [JSONValue] {
        let simple: [JSONValue] = [.null, .bool(false), .int(0), .string(""), .array([]), .object([])]
        let rank = simple.firstIndex(of: value) ?? simple.count
        var out = Array(simple[..<rank])
        let inner = PropertySchema.any(depth: max(depth - 1, 0))
        switch value {
        case .bool(true): out.append(.bool(false))
        case .number(let number):
            if let int = Int(number.text) {
                out += integerCandidates(int, in: Int.min...Int.max).map { .int($0) }
            }
        case .string(let text): out += PropertyStringRule(length: 0...Int.max).shrinkCandidates(of: text).map { .string($0) }
        case .array(let elements):
            out += removals(from: elements).map { .array($0) }
            for (i, element) in elements.enumerated() {
                for candidate in inner.shrinkCandidates(of: element) {
                    var copy = elements
                    copy[i] = candidate
                    out.append(.array(copy))
                }
            }
        case .object(let members):
            out += removals(from: members).map { .object($0) }
            for (i, member) in members.enumerated() {
                for candidate in inner.shrinkCandidates(of: member.value) {
                    var copy = members
                    copy[i].value = candidate
                    out.append(.object(copy))
                }
            }
        default: break
        }
        return out
    }
}

extension PropertyStringRule {
    /// Valid strings one step simpler than `text`: shorter ones first, then one character simpler.
    ///
    /// A character's simplicity: `a` is simplest, then code points in ascending order. A non-ASCII
    /// character therefore shrinks to U+0080 when only "non-ASCII" matters.
    public func shrinkCandidates(of text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var out: [[Unicode.Scalar]] = []
        if scalars.count > length.lowerBound {
            out.append(Array(scalars.prefix(length.lowerBound)))
            out += PropertySchema.removals(from: scalars).filter { $0.count >= length.lowerBound }
        }
        for (i, scalar) in scalars.enumerated() {
            for simpler in Self.simplerScalars(than: scalar) where allows(simpler) {
                var copy = scalars
                copy[i] = simpler
                out.append(copy)
            }
        }
        var seen: Set<String> = [text]
        return out.map { String(String.UnicodeScalarView($0)) }.filter { accepts($0) && seen.insert($0).inserted }
    }

    /// `a`, then code points below `scalar` approached by halving the distance to 0.
    static func simplerScalars(than scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        guard scalar != "a" else { return [] }
        var out: [Unicode.Scalar] = ["a"]
        let value = Int(scalar.value)
        for candidate in PropertySchema.integerCandidates(value, in: 0...value) {
            // Skip surrogate code points (not scalars) by landing just below them.
            let fixed = (0xD800...0xDFFF).contains(candidate) ? 0xD7FF : candidate
            if let simpler = Unicode.Scalar(UInt32(fixed)), simpler != "a", !out.contains(simpler) { out.append(simpler) }
        }
        return out
    }
}
