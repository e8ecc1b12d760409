import PropertyCheck
import PropertyBased
import StampedeCore
import Testing

@Suite struct PropertyCheckTests {
    static let schemas: [PropertySchema] = [
        PropertyStrategies.register,
        PropertyStrategies.grafanaWebhook,
        PropertySchema.inferred(from: Self.executeExemplar),
        PropertySchema.inferred(from: Self.nestedExemplar),
        PropertySchema.any(depth: 3),
    ]

    static let executeExemplar = try! JSONValue(parsing: #"{"script":"print(1)","lang":"python","lang_version":"3.11"}"#)
    static let nestedExemplar = try! JSONParser(allowsTemplatePlaceholders: true).parse(
        #"{"id":{{script_id}},"tags":["a","b"],"public":false,"version":3,"ratio":0.5,"owner":null}"#)

    @Test func generatedValuesConform() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...(Self.schemas.count - 1)), Gen.uint64()) { index, seed in
            var rng = SeededGenerator(seed: seed)
            let value = Self.schemas[index].generate(using: &rng)
            #expect(Self.schemas[index].conforms(value), "\(value.serialized())")
        }
    }

    @Test func shrinkCandidatesConformAndDiffer() async {
        await propertyCheck(count: 12, input: Gen.int(in: 0...(Self.schemas.count - 1)), Gen.uint64()) { index, seed in
            var rng = SeededGenerator(seed: seed)
            let schema = Self.schemas[index]
            let value = schema.generate(using: &rng)
            for candidate in schema.shrinkCandidates(of: value) {
                #expect(candidate != value)
                #expect(schema.conforms(candidate), "\(candidate.serialized())")
            }
        }
    }

    @Test func sameSeedSameValues() {
        let a = PropertyCheck(schema: PropertyStrategies.grafanaWebhook, seed: 42)
        let b = PropertyCheck(schema: PropertyStrategies.grafanaWebhook, seed: 42)
        let c = PropertyCheck(schema: PropertyStrategies.grafanaWebhook, seed: 43)
        let first = (0..<50).map(a.value(forRun:))
        #expect(first == (0..<50).map(b.value(forRun:)))
        #expect(first != (0..<50).map(c.value(forRun:)))
    }

    @Test func registerStrategyIsAsWideAsTheOriginal() {
        let check = PropertyCheck(schema: PropertyStrategies.register, seed: 7)
        let values = (0..<500).map(check.value(forRun:))
        let usernames = values.compactMap { $0[key: "username"]?.stringValue }
        let passwords = values.compactMap { $0[key: "password"]?.stringValue }
        #expect(usernames.count == 500)
        #expect(usernames.contains { $0.unicodeScalars.count == 1 })
        #expect(usernames.contains { $0.unicodeScalars.count == 32 })
        #expect(usernames.contains { $0.unicodeScalars.contains { !$0.isASCII } })
        #expect(usernames.allSatisfy { !$0.unicodeScalars.contains { $0.properties.isWhitespace } })
        #expect(passwords.contains { $0.unicodeScalars.count == 6 })
        #expect(passwords.contains { $0.unicodeScalars.count == 64 })
        #expect(values.compactMap { $0[key: "email"]?.stringValue }.allSatisfy { $0.unicodeScalars.split(separator: "@", omittingEmptySubsequences: false).count == 2 })
    }

    @Test func webhookStrategyLeavesOptionalFieldsOut() {
        let check = PropertyCheck(schema: PropertyStrategies.grafanaWebhook, seed: 3)
        let values = (0..<300).map(check.value(forRun:))
        let alertCounts = values.compactMap { $0[key: "alerts"]?.arrayValue?.count }
        #expect(alertCounts.count == 300)
        #expect(Set(alertCounts) == Set(1...5))
        #expect(values.contains { $0[key: "receiver"] == nil })
        #expect(values.contains { $0[key: "receiver"] != nil })
        let labelCounts = values.flatMap { $0[key: "alerts"]?.arrayValue ?? [] }.compactMap { $0[key: "labels"]?.objectMembers?.count }
        #expect(labelCounts.contains(0) && labelCounts.contains(8))
    }

    @Test func exemplarValuesAreKeptPartOfTheTime() {
        let check = PropertyCheck(schema: PropertySchema.inferred(from: Self.executeExemplar), seed: 11)
        let langs = (0..<200).compactMap { check.value(forRun: $0)[key: "lang"]?.stringValue }
        let kept = langs.filter { $0 == "python" }.count
        #expect(kept > 60 && kept < 140)
        let ids = (0..<50).map { PropertyCheck(schema: .inferred(from: Self.nestedExemplar), seed: 1).value(forRun: $0)[key: "id"] }
        #expect(ids.allSatisfy { $0?.scalarText == "{{script_id}}" })
    }

    /// A pure stand-in for the demo's `lang_version` defect: any non-ASCII character fails.
    @Test func shrinksNonASCIIToTheSmallestNonASCIICharacter() async throws {
        let check = PropertyCheck(schema: .inferred(from: Self.executeExemplar), runs: 200, seed: 5)
        let result = await check.run { value in
            guard value[key: "lang"]?.stringValue == "python",
                let version = value[key: "lang_version"]?.stringValue,
                version.unicodeScalars.contains(where: { !$0.isASCII })
            else { return .pass }
            return .fail("HTTP 500")
        }
        let counterexample = try #require(result.counterexample)
        #expect(counterexample.minimal.serialized() == "{\"script\":\"\",\"lang\":\"python\",\"lang_version\":\"\u{80}\"}")
        #expect(counterexample.locallyMinimal)
        #expect(counterexample.failure == "HTTP 500")
    }

    @Test func shrinksIntegersToTheBoundary() async {
        let schema = PropertySchema.object([
            PropertyField("limit", .integer(-5000...5000)),
            PropertyField("note", .string(), required: false),
        ])
        let result = await PropertyCheck(schema: schema, runs: 500, seed: 9).run { value in
            guard case .number(let n)? = value[key: "limit"], let limit = Int(n.text), limit > 1000 else { return .pass }
            return .fail("HTTP 500")
        }
        #expect(result.counterexample?.minimal == .object([JSONMember("limit", .int(1001))]))
    }

    @Test func shrinkingKeepsTheFailureSignature() async {
        // Two "bugs": long usernames fail one way, any '!' another; the shrink must stay on the first.
        let schema = PropertyStrategies.register
        let first = PropertyCheck(schema: schema, seed: 2).value(forRun: 0)
        let shrinker = PropertyShrinker(schema: schema, budget: 5_000)
        let property: (JSONValue) -> PropertyVerdict = { value in
            let name = value[key: "username"]?.stringValue ?? ""
            if name.unicodeScalars.count >= 4 { return .fail("long") }
            if name.contains("!") { return .fail("bang") }
            return .pass
        }
        let start = JSONValue.object([
            JSONMember("username", .string("!!!!!!!!")), JSONMember("email", first[key: "email"] ?? .null),
            JSONMember("password", first[key: "password"] ?? .null),
        ])
        let result = await shrinker.shrink(start) { property($0) == .fail("long") }
        #expect(result.value[key: "username"] == .string("aaaa"))
        #expect(result.value[key: "email"] == .string("a@a"))
        #expect(result.value[key: "password"] == .string("aaaaaa"))
        #expect(result.locallyMinimal)
    }

    /// A webhook "bug" on a label value holding `!` shrinks to one alert with one one-character label.
    @Test func webhookCheckShrinksAPlantedPredicate() async {
        let result = await PropertyCheck(schema: PropertyStrategies.grafanaWebhook, runs: 200, seed: 0x5EED).run { body in
            let labels = (body[key: "alerts"]?.arrayValue ?? []).compactMap { $0[key: "labels"]?.objectMembers }.joined()
            return labels.contains { $0.value.stringValue?.contains("!") == true } ? .fail("HTTP 500") : .pass
        }
        #expect(result.counterexample?.minimal.serialized() == #"{"alerts":[{"labels":{"":"!"}}]}"#)
    }

    @Test func shrinkerRespectsItsBudget() async {
        let result = await PropertyShrinker(schema: PropertyStrategies.grafanaWebhook, budget: 10).shrink(
            PropertyCheck(schema: PropertyStrategies.grafanaWebhook, seed: 1).value(forRun: 0)) { _ in true }
        #expect(result.calls <= 10)
    }

    @Test func jsonSchemaSubset() throws {
        let text = #"""
        {"type":"object","required":["username","email"],"properties":{
          "username":{"type":"string","minLength":1,"maxLength":32,"pattern":"^\\S+$"},
          "email":{"type":"string","format":"email"},
          "age":{"type":["integer","null"],"minimum":0,"maximum":150},
          "theme":{"enum":["light","dark","auto"]},
          "tags":{"type":"array","items":{"type":"string"},"maxItems":3},
          "labels":{"type":"object","additionalProperties":{"type":"string"},"maxProperties":8}}}
        """#
        let schema = try PropertySchema(jsonSchema: JSONValue(parsing: text))
        guard case .object(let fields) = schema.shape else {
            Issue.record("not an object schema")
            return
        }
        #expect(fields.map(\.name) == ["username", "email", "age", "theme", "tags", "labels"])
        #expect(fields.map(\.required) == [true, true, false, false, false, false])
        #expect(fields[0].schema == .string(PropertyStringRule(length: 1...32, alphabet: .nonSpace)))
        #expect(fields[2].schema == PropertySchema(.integer(0...150), nullable: true))
        #expect(fields[5].schema == .map(keys: PropertyStringRule(length: 0...32), values: .string(), count: 0...8))
        #expect(schema.conforms(try JSONValue(parsing: #"{"username":"x","email":"a@b","age":null,"theme":"dark"}"#)))
        #expect(!schema.conforms(try JSONValue(parsing: #"{"username":"x y","email":"a@b"}"#)))
        #expect(!schema.conforms(try JSONValue(parsing: #"{"username":"x","email":"ab"}"#)))
        #expect(!schema.conforms(try JSONValue(parsing: #"{"username":"x","email":"a@b","theme":"blue"}"#)))
        #expect(throws: PropertySchemaError.self) { try PropertySchema(jsonSchema: JSONValue(parsing: #"{"type":"string","pattern":"^a+$"}"#)) }
    }
}
