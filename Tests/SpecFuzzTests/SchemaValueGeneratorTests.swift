import OpenAPIKit
import PropertyBased
import SpecFuzz
import StampedeCore
import Testing

/// A random satisfiable schema (no `pattern`: nothing here inverts regexes) and the root keywords a
/// negative value must exist for.
struct RandomSchema {
    var text: String
    var expected: Set<SchemaConstraint>

    init(seed: UInt64, depth: Int = 0) {
        var rng = SeededGenerator(seed: seed)
        (text, expected) = Self.make(&rng, depth: depth)
    }

    static func make(_ rng: inout SeededGenerator, depth: Int) -> (String, Set<SchemaConstraint>) {
        switch rng.next(below: depth < 2 ? 6 : 4) {
        case 0: return integer(&rng)
        case 1: return string(&rng)
        case 2: return number(&rng)
        case 3: return (#"{"type":"boolean"}"#, [.type])
        case 4:
            let (items, _) = make(&rng, depth: depth + 1)
            let minItems = rng.next(below: 3), maxItems = minItems + rng.next(below: 3)
            return (#"{"type":"array","items":\#(items),"minItems":\#(minItems),"maxItems":\#(maxItems)}"#,
                    minItems > 0 ? [.type, .minItems, .maxItems] : [.type, .maxItems])
        default: return object(&rng, depth: depth)
        }
    }

    static func integer(_ rng: inout SeededGenerator) -> (String, Set<SchemaConstraint>) {
        if rng.chance(0.3) { return (#"{"type":"integer","format":"int32"}"#, [.type, .format]) }
        let low = rng.next(in: -50...50), high = low + rng.next(below: 100)
        return (#"{"type":"integer","minimum":\#(low),"maximum":\#(high)}"#, [.type, .minimum, .maximum])
    }

    static func number(_ rng: inout SeededGenerator) -> (String, Set<SchemaConstraint>) {
        let low = Double(rng.next(in: -50...50)) / 2
        return (#"{"type":"number","exclusiveMinimum":\#(low),"maximum":\#(low + 10)}"#, [.type, .minimum, .maximum])
    }

    static func string(_ rng: inout SeededGenerator) -> (String, Set<SchemaConstraint>) {
        switch rng.next(below: 3) {
        case 0: return (#"{"type":"string","enum":["red","green","blue"]}"#, [.type, .enum])
        case 1:
            let format = rng.element(["date", "date-time", "uuid", "email"])
            return (#"{"type":"string","format":"\#(format)"}"#, [.type, .format])
        default:
            let low = rng.next(in: 1...5), high = low + rng.next(below: 10)
            return (#"{"type":"string","minLength":\#(low),"maxLength":\#(high)}"#, [.type, .minLength, .maxLength])
        }
    }

    static func object(_ rng: inout SeededGenerator, depth: Int) -> (String, Set<SchemaConstraint>) {
        var properties: [String] = []
        var required: [String] = []
        for i in 0..<rng.next(in: 1...3) {
            properties.append(#""p\#(i)":\#(make(&rng, depth: depth + 1).0)"#)
            if rng.chance(0.5) { required.append(#""p\#(i)""#) }
        }
        let closed = rng.chance(0.5)
        var expected: Set<SchemaConstraint> = [.type]
        if !required.isEmpty { expected.insert(.required) }
        if closed { expected.insert(.additionalProperties) }
        let text = #"{"type":"object","properties":{\#(properties.joined(separator: ","))},"required":[\#(required.joined(separator: ","))],"#
            + #""additionalProperties":\#(closed ? "false" : "true")}"#
        return (text, expected)
    }
}

@Suite struct SchemaValueGeneratorTests {
    @Test func everyPositiveValidatesAndEveryNegativeBreaksExactlyItsLabel() async throws {
        await propertyCheck(count: 150, input: Gen.uint64()) { seed in
            let random = RandomSchema(seed: seed)
            guard let s = try? schema(random.text) else { return #expect(Bool(false), "bad schema \(random.text)") }
            let generator = SchemaValueGenerator()
            let positives = generator.positives(for: s, seed: seed)
            #expect(!positives.isEmpty, "no valid value for \(random.text)")
            for value in positives {
                #expect(SchemaValidator().validate(value, against: s).isEmpty, "\(value) invalid by \(random.text)")
            }
            let negatives = generator.negatives(for: s, seed: seed)
            for negative in negatives {
                let violations = SchemaValidator().validate(negative.value, against: s)
                #expect(violations.map(\.constraint) == [negative.constraint], "\(negative.value) by \(random.text): \(violations)")
                #expect(violations.first?.pointer == negative.pointer)
            }
            let rootLabels = Set(negatives.filter { $0.pointer.tokens.isEmpty }.map(\.constraint))
            #expect(random.expected.isSubset(of: rootLabels), "\(random.text): missing \(random.expected.subtracting(rootLabels))")
        }
    }

    @Test func sameSeedSameValues() throws {
        let s = try schema(#"{"type":"object","properties":{"id":{"type":"string","format":"uuid"},"n":{"type":"integer"}}}"#)
        let generator = SchemaValueGenerator()
        #expect(generator.positives(for: s, seed: 9) == generator.positives(for: s, seed: 9))
        #expect(generator.negatives(for: s, seed: 9) == generator.negatives(for: s, seed: 9))
        #expect(generator.positives(for: s, seed: 9) != generator.positives(for: s, seed: 10))
    }

    @Test func positivesCoverBoundariesEnumValuesAndOptionalMembers() throws {
        let generator = SchemaValueGenerator()
        let integers = generator.positives(for: try schema(#"{"type":"integer","minimum":1,"maximum":1000}"#), seed: 1)
        #expect(integers.contains(.int(1)) && integers.contains(.int(1000)))
        let strings = generator.positives(for: try schema(#"{"type":"string","minLength":3,"maxLength":32}"#), seed: 1)
        let lengths = Set(strings.compactMap { $0.stringValue?.count })
        #expect(lengths.isSuperset(of: [3, 32]))
        let object = try schema(
            #"{"type":"object","required":["script"],"properties":{"script":{"type":"string"},"lang":{"type":"string"},"#
                + #""lang_version":{"type":"string","enum":["3.9","3.10","3.11","3.12"]}}}"#)
        let objects = generator.positives(for: object, seed: 1)
        let versions = Set(objects.compactMap { $0[key: "lang_version"]?.stringValue })
        #expect(versions == ["3.9", "3.10", "3.11", "3.12"])
        #expect(objects.contains { $0.objectMembers?.count == 1 }, "required members only")
        #expect(objects.contains { $0.objectMembers?.count == 3 }, "every optional member")
    }

    @Test func negativesReachNestedMembersWithTheirPointer() throws {
        let s = try schema(
            #"{"type":"object","properties":{"alerts":{"type":"array","minItems":1,"items":{"type":"object","required":["status"],"#
                + #""properties":{"status":{"type":"string","enum":["firing","resolved"]}}}}}}"#)
        let labels = SchemaValueGenerator().negatives(for: s, seed: 3).map { "\($0.pointer): \($0.constraint.rawValue)" }
        #expect(labels.contains("/alerts/0/status: enum"))
        #expect(labels.contains("/alerts/0: required"))
        #expect(labels.contains("/alerts: minItems"))
    }

    @Test func anUnsatisfiablePatternGivesNothingRatherThanWrongValues() throws {
        let s = try schema(#"{"type":"string","pattern":"^zz[0-9]{40}$"}"#)
        #expect(SchemaValueGenerator().positives(for: s, seed: 1).isEmpty)
        #expect(SchemaValueGenerator().negatives(for: s, seed: 1).isEmpty)
    }
}
