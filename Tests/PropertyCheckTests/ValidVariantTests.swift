import PropertyCheck
import PropertyBased
import StampedeCore
import Testing

@Suite struct ValidVariantTests {
    static let exemplars: [JSONValue] = [
        #"{"id":"6f1c2a9e-3b7d-4c1e-9a2f-0d4e5b6c7a8f","email":"ann@example.com","theme":"dark","born":"1990-04-01","at":"2024-05-01T10:00:00Z","tags":["a"],"note":null,"n":3}"#,
        #"{"id":"0b8e4a52-9c3d-4f6e-8a1b-2c3d4e5f6a7b","email":"bob@example.org","theme":"light","born":"1985-12-31","at":"2024-05-02T11:30:15.250+02:00","tags":[],"note":"hi","n":4}"#,
        #"{"id":"a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d","email":"cy@example.net","theme":"dark","born":"2001-07-15","at":"2024-05-03T00:00:00Z","tags":["b","c"],"n":5}"#,
        #"{"id":"ffffffff-ffff-4fff-bfff-ffffffffffff","email":"dee@example.com","theme":"light","born":"1970-01-01","at":"2024-05-04T23:59:59Z","tags":["a"],"note":"x","n":6}"#,
    ].map { try! JSONValue(parsing: $0) }

    static let schema = PropertySchema.inferred(fromExemplars: exemplars)

    func field(_ name: String) -> PropertyField? {
        guard case .object(let fields) = Self.schema.shape else { return nil }
        return fields.first { $0.name == name }
    }

    func format(_ name: String) -> PropertyStringRule.Format? {
        guard case .string(let rule)? = field(name)?.schema.shape else { return nil }
        return rule.format
    }

    @Test func infersFormatsEnumsOptionalityAndNulls() throws {
        #expect(format("id") == .uuid)
        #expect(format("email") == .email)
        #expect(format("born") == .date)
        #expect(format("at") == .dateTime)
        #expect(field("theme")?.schema.shape == .oneOf([.string("dark"), .string("light")]))
        let note = try #require(field("note"))
        #expect(!note.required)
        #expect(note.schema.nullable)
        #expect(field("id")?.required == true)
        guard case .array(let items, _)? = field("tags")?.schema.shape, case .string = items.shape else {
            Issue.record("tags should be an array of strings")
            return
        }
        for exemplar in Self.exemplars { #expect(Self.schema.conforms(exemplar)) }
    }

    @Test func variantsConformToTheInferredSchema() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var rng = SeededGenerator(seed: seed)
            let value = Self.schema.generate(using: &rng)
            #expect(Self.schema.conforms(value), "\(value.serialized())")
            if let id = value[key: "id"]?.stringValue { #expect(id.utf8.count == 36 && id.split(separator: "-").count == 5) }
            if let theme = value[key: "theme"] { #expect(theme == .string("dark") || theme == .string("light")) }
            for candidate in Self.schema.shrinkCandidates(of: value).prefix(40) {
                #expect(Self.schema.conforms(candidate), "\(candidate.serialized())")
            }
        }
    }

    @Test func formatsRejectLookalikes() {
        let uuid = PropertyStringRule(length: 36...36, format: .uuid)
        #expect(uuid.accepts("6f1c2a9e-3b7d-4c1e-9a2f-0d4e5b6c7a8f"))
        #expect(!uuid.accepts("6f1c2a9e-3b7d-4c1e-9a2f-0d4e5b6c7a8g"))
        let date = PropertyStringRule(length: 10...10, format: .date)
        #expect(date.accepts("2024-02-29"))
        #expect(!date.accepts("2024-13-01"))
        let dateTime = PropertyStringRule(length: 20...40, format: .dateTime)
        #expect(dateTime.accepts("2024-05-01T10:00:00.5-03:30"))
        #expect(!dateTime.accepts("2024-05-01 10:00:00Z"))
        #expect(!dateTime.accepts("2024-05-01T24:00:00Z"))
    }

    @Test func jsonSchemaFormatsAreUnderstood() throws {
        let schema = try PropertySchema(jsonSchema: JSONValue(parsing: #"{"type":"object","properties":{"id":{"type":"string","format":"uuid"},"d":{"type":"string","format":"date"}},"required":["id","d"]}"#))
        var rng = SeededGenerator(seed: 3)
        let value = schema.generate(using: &rng)
        #expect(schema.conforms(value))
        #expect(value[key: "d"]?.stringValue?.utf8.count == 10)
    }
}
