import OpenAPIKit
import StampedeCore

extension SchemaValueGenerator {
    /// Unchecked candidates for negative values of `schema`, each `base` (valid) with one change.
    func negativeCandidates(_ schema: DereferencedJSONSchema, base: JSONValue, depth: Int, rng: inout SeededGenerator) -> [NegativeValue] {
        var out = wrongTypes(schema).map { NegativeValue(value: $0, constraint: .type, pointer: .root) }
        if let allowed = schema.allowedValues?.compactMap(JSONValue.init) {
            out += outsideEnum(allowed).map { NegativeValue(value: $0, constraint: .enum, pointer: .root) }
        }
        switch schema {
        case .integer(let core, let context):
            out += bounds(context.minimum.map { (Double($0.value), $0.exclusive) }, context.maximum.map { (Double($0.value), $0.exclusive) })
            out += integerFormat(core.format.rawValue)
        case .number(_, let context):
            out += bounds(context.minimum.map { ($0.value, $0.exclusive) }, context.maximum.map { ($0.value, $0.exclusive) })
        case .string(let core, let context):
            out += stringNegatives(context, format: core.format.rawValue, base: base.stringValue ?? "", rng: &rng)
        case .array(_, let context):
            out += arrayNegatives(context, base: base.arrayValue ?? [], depth: depth, rng: &rng)
        case .object(_, let context):
            out += objectNegatives(context, base: base.objectMembers ?? [], depth: depth, rng: &rng)
        default:
            break
        }
        return out
    }

    /// Values of a type the schema does not allow (null only when it is not nullable).
    func wrongTypes(_ schema: DereferencedJSONSchema) -> [JSONValue] {
        let all: [JSONValue] = [.string("text"), .int(12_345), .double(1.5), .bool(true), .object([]), .array([]), .null]
        switch schema {
        case .string: return all.filter { $0.kind != .string }
        case .integer: return all.filter { $0.kind != .number } + [.double(1.5)]
        case .number: return all.filter { $0.kind != .number }
        case .boolean: return all.filter { $0.kind != .bool }
        case .object: return all.filter { $0.kind != .object }
        case .array: return all.filter { $0.kind != .array }
        case .null: return all.filter { $0.kind != .null }
        default: return []
        }
    }

    /// Values of the enum's own kinds that are not in it.
    func outsideEnum(_ allowed: [JSONValue]) -> [JSONValue] {
        var out: [JSONValue] = []
        if let text = allowed.compactMap(\.stringValue).first { out += [.string(text + "x"), .string("not-listed")] }
        if let largest = allowed.compactMap(\.doubleValue).max() { out.append(.double((largest + 1).rounded(.down))) }
        if let flag = allowed.compactMap(\.boolValue).first { out.append(.bool(!flag)) }
        return out
    }

    func bounds(_ minimum: (Double, Bool)?, _ maximum: (Double, Bool)?) -> [NegativeValue] {
        var out: [NegativeValue] = []
        if let (bound, exclusive) = minimum {
            out.append(NegativeValue(value: .double(exclusive ? bound : bound - 1), constraint: .minimum, pointer: .root))
        }
        if let (bound, exclusive) = maximum {
            out.append(NegativeValue(value: .double(exclusive ? bound : bound + 1), constraint: .maximum, pointer: .root))
        }
        return out
    }

    func integerFormat(_ format: String) -> [NegativeValue] {
        let values: [JSONValue] = switch format {
        case "int32": [.int(Int(Int32.max) + 1), .int(Int(Int32.min) - 1)]
        case "int64": [.number(JSONNumber(text: "9223372036854775808")), .number(JSONNumber(text: "-9223372036854775809"))]
        default: []
        }
        return values.map { NegativeValue(value: $0, constraint: .format, pointer: .root) }
    }

    func stringNegatives(_ context: JSONSchema.StringContext, format: String, base: String, rng: inout SeededGenerator) -> [NegativeValue] {
        var out: [NegativeValue] = []
        let fill = base.unicodeScalars.first.map { Character($0) } ?? "a"
        if context.minLength > 0 {
            let short = String(base.prefix(context.minLength - 1))
            out.append(NegativeValue(value: .string(short), constraint: .minLength, pointer: .root))
        }
        if let maxLength = context.maxLength {
            let long = base + String(repeating: fill, count: max(0, maxLength + 1 - base.unicodeScalars.count))
            out.append(NegativeValue(value: .string(long), constraint: .maxLength, pointer: .root))
        }
        if context.pattern != nil {
            // Same length as the valid value, so only the pattern can fail.
            for odd in [" ", "!", "-", "é", "A", "0", "_", ".", "\t"] {
                let candidates = [odd + String(base.dropFirst()), String(base.dropLast()) + odd, String(repeating: odd, count: max(1, base.count))]
                out += candidates.map { NegativeValue(value: .string($0), constraint: .pattern, pointer: .root) }
            }
        }
        let invalid: [String] = switch format {
        case "date-time": ["2026-13-45T25:61:00Z", "2026-01-31 12:34:56", "not-a-date-time"]
        case "date": ["2026-02-30", "31/01/2026", "not-a-date"]
        case "time": ["25:00:00Z", "12:34:56", "noon"]
        case "uuid": ["not-a-uuid", String(rng.uuidString().dropLast())]
        case "email": ["no-at-sign", "two@@example.com", "a b@example.com"]
        case "ipv4": ["256.1.1.1", "1.2.3"]
        default: []
        }
        out += invalid.map { NegativeValue(value: .string($0), constraint: .format, pointer: .root) }
        return out
    }

    func arrayNegatives(
        _ context: DereferencedJSONSchema.ArrayContext, base: [JSONValue], depth: Int, rng: inout SeededGenerator
    ) -> [NegativeValue] {
        var out: [NegativeValue] = []
        if context.minItems > 0 {
            out.append(NegativeValue(value: .array(Array(base.prefix(context.minItems - 1))), constraint: .minItems, pointer: .root))
        }
        // An empty valid array (`maxItems: 0`) is lengthened with a valid item of its own.
        if let maxItems = context.maxItems,
            let first = base.first ?? positives(for: context.items ?? .fragment(.init()), seed: rng.next()).first
        {
            var longer = base.isEmpty ? [first] : base
            while longer.count <= maxItems { longer.append(longer[longer.count % max(1, base.count)]) }
            out.append(NegativeValue(value: .array(longer), constraint: .maxItems, pointer: .root))
        }
        if let itemSchema = context.items, let first = base.first, depth < Self.maximumDepth {
            for negative in negativeCandidates(itemSchema, base: first, depth: depth + 1, rng: &rng) {
                var items = base
                items[0] = negative.value
                out.append(NegativeValue(value: .array(items), constraint: negative.constraint, pointer: JSONPointer(tokens: ["0"] + negative.pointer.tokens)))
            }
        }
        return out
    }

    func objectNegatives(
        _ context: DereferencedJSONSchema.ObjectContext, base: [JSONMember], depth: Int, rng: inout SeededGenerator
    ) -> [NegativeValue] {
        var out: [NegativeValue] = []
        for name in context.requiredProperties where base.contains(where: { $0.key == name }) {
            out.append(NegativeValue(value: .object(base.filter { $0.key != name }), constraint: .required, pointer: .root))
        }
        if case .some(.a(false)) = context.additionalProperties {
            let extra = (0...).lazy.map { "unexpected" + ($0 == 0 ? "" : String($0)) }.first { context.properties[$0] == nil } ?? "unexpected"
            out.append(NegativeValue(value: .object(base + [JSONMember(extra, .string("x"))]), constraint: .additionalProperties, pointer: .root))
        }
        guard depth < Self.maximumDepth else { return out }
        for (index, member) in base.enumerated() {
            guard let property = context.properties[member.key] else { continue }
            for negative in negativeCandidates(property, base: member.value, depth: depth + 1, rng: &rng) {
                var members = base
                members[index].value = negative.value
                let pointer = JSONPointer(tokens: [member.key] + negative.pointer.tokens)
                out.append(NegativeValue(value: .object(members), constraint: negative.constraint, pointer: pointer))
            }
        }
        return out
    }
}
