import OpenAPIKit
import SpecFuzz
import StampedeCore
import StampedeTestSupport
import Testing

/// One keyword: a schema, a value it accepts, a value it rejects, and the violation expected.
struct KeywordCase: CustomTestStringConvertible, Sendable {
    let schema: String
    let valid: String
    let invalid: String
    let constraint: SchemaConstraint
    let pointer: String
    var testDescription: String { constraint.rawValue + " " + schema }
}

@Suite struct SchemaValidatorTests {
    static let cases: [KeywordCase] = [
        KeywordCase(schema: #"{"type":"string"}"#, valid: #""a""#, invalid: "1", constraint: .type, pointer: ""),
        KeywordCase(schema: #"{"type":"integer"}"#, valid: "2.0", invalid: "2.5", constraint: .type, pointer: ""),
        KeywordCase(schema: #"{"type":"number"}"#, valid: "2.5", invalid: #""2.5""#, constraint: .type, pointer: ""),
        KeywordCase(schema: #"{"type":"boolean"}"#, valid: "false", invalid: "0", constraint: .type, pointer: ""),
        KeywordCase(schema: #"{"type":"null"}"#, valid: "null", invalid: "false", constraint: .type, pointer: ""),
        KeywordCase(schema: #"{"type":"array"}"#, valid: "[]", invalid: "{}", constraint: .type, pointer: ""),
        KeywordCase(schema: #"{"type":"object"}"#, valid: "{}", invalid: "[]", constraint: .type, pointer: ""),
        KeywordCase(schema: #"{"type":["string","null"]}"#, valid: "null", invalid: "3", constraint: .type, pointer: ""),
        KeywordCase(schema: #"{"type":"string","nullable":true}"#, valid: "null", invalid: "true", constraint: .type, pointer: ""),
        KeywordCase(schema: #"{"type":"string","enum":["a","b"]}"#, valid: #""b""#, invalid: #""c""#, constraint: .enum, pointer: ""),
        KeywordCase(schema: #"{"type":"integer","enum":[1,2]}"#, valid: "2.0", invalid: "3", constraint: .enum, pointer: ""),
        KeywordCase(schema: #"{"const":{"a":[1]}}"#, valid: #"{"a":[1.0]}"#, invalid: #"{"a":[2]}"#, constraint: .enum, pointer: ""),
        KeywordCase(
            schema: #"{"type":"object","required":["id"],"properties":{"id":{"type":"string"}}}"#,
            valid: #"{"id":"x"}"#, invalid: #"{"ID":"x"}"#, constraint: .required, pointer: ""),
        KeywordCase(
            schema: #"{"type":"object","properties":{"n":{"type":"integer"}}}"#,
            valid: #"{"n":1}"#, invalid: #"{"n":"1"}"#, constraint: .type, pointer: "/n"),
        KeywordCase(
            schema: #"{"type":"object","properties":{"a":{}},"additionalProperties":false}"#,
            valid: #"{"a":1}"#, invalid: #"{"a":1,"b":2}"#, constraint: .additionalProperties, pointer: ""),
        KeywordCase(
            schema: #"{"type":"object","additionalProperties":{"type":"string"}}"#,
            valid: #"{"x":"y"}"#, invalid: #"{"x":"y","z":1}"#, constraint: .type, pointer: "/z"),
        KeywordCase(
            schema: #"{"type":"object","patternProperties":{"^x-":{"type":"integer"}}}"#,
            valid: #"{"x-a":1,"b":"s"}"#, invalid: #"{"x-a":"s"}"#, constraint: .type, pointer: "/x-a"),
        KeywordCase(schema: #"{"type":"object","minProperties":1}"#, valid: #"{"a":1}"#, invalid: "{}", constraint: .minProperties, pointer: ""),
        KeywordCase(
            schema: #"{"type":"object","maxProperties":1}"#, valid: #"{"a":1}"#, invalid: #"{"a":1,"b":2}"#,
            constraint: .maxProperties, pointer: ""),
        KeywordCase(
            schema: #"{"type":"array","items":{"type":"integer"}}"#, valid: "[1,2]", invalid: #"[1,"2"]"#, constraint: .type, pointer: "/1"),
        KeywordCase(schema: #"{"type":"array","minItems":2}"#, valid: "[1,2]", invalid: "[1]", constraint: .minItems, pointer: ""),
        KeywordCase(schema: #"{"type":"array","maxItems":1}"#, valid: "[1]", invalid: "[1,2]", constraint: .maxItems, pointer: ""),
        KeywordCase(schema: #"{"type":"array","uniqueItems":true}"#, valid: "[1,2]", invalid: "[1,1.0]", constraint: .uniqueItems, pointer: ""),
        KeywordCase(schema: #"{"type":"integer","minimum":1}"#, valid: "1", invalid: "0", constraint: .minimum, pointer: ""),
        KeywordCase(schema: #"{"type":"integer","maximum":10}"#, valid: "10", invalid: "11", constraint: .maximum, pointer: ""),
        KeywordCase(schema: #"{"type":"number","exclusiveMinimum":1.5}"#, valid: "1.6", invalid: "1.5", constraint: .minimum, pointer: ""),
        KeywordCase(schema: #"{"type":"number","exclusiveMaximum":2}"#, valid: "1.99", invalid: "2", constraint: .maximum, pointer: ""),
        KeywordCase(schema: #"{"type":"number","multipleOf":0.5}"#, valid: "2.5", invalid: "2.25", constraint: .multipleOf, pointer: ""),
        KeywordCase(schema: #"{"type":"string","minLength":2}"#, valid: #""éé""#, invalid: #""é""#, constraint: .minLength, pointer: ""),
        KeywordCase(schema: #"{"type":"string","maxLength":2}"#, valid: #""ab""#, invalid: #""abc""#, constraint: .maxLength, pointer: ""),
        KeywordCase(schema: #"{"type":"string","pattern":"^\\S+$"}"#, valid: #""a-b""#, invalid: #""a b""#, constraint: .pattern, pointer: ""),
        KeywordCase(schema: #"{"type":"string","pattern":"[0-9]"}"#, valid: #""ab1""#, invalid: #""ab""#, constraint: .pattern, pointer: ""),
        KeywordCase(
            schema: #"{"type":"string","format":"date-time"}"#, valid: #""2026-02-28T23:59:60.5+01:00""#,
            invalid: #""2026-02-29T10:00:00Z""#, constraint: .format, pointer: ""),
        KeywordCase(
            schema: #"{"type":"string","format":"date"}"#, valid: #""2024-02-29""#, invalid: #""2024-13-01""#, constraint: .format, pointer: ""),
        KeywordCase(
            schema: #"{"type":"string","format":"uuid"}"#, valid: #""3F2504E0-4F89-41D3-9A0C-0305E82C3301""#,
            invalid: #""3F2504E0-4F89-41D3-9A0C-0305E82C330""#, constraint: .format, pointer: ""),
        KeywordCase(
            schema: #"{"type":"string","format":"email"}"#, valid: #""a.b@example.com""#, invalid: #""a b@example""#,
            constraint: .format, pointer: ""),
        KeywordCase(
            schema: #"{"type":"integer","format":"int32"}"#, valid: "2147483647", invalid: "2147483648", constraint: .format, pointer: ""),
        KeywordCase(
            schema: #"{"type":"integer","format":"int64"}"#, valid: "-9223372036854775808", invalid: "9223372036854775808",
            constraint: .format, pointer: ""),
        KeywordCase(
            schema: #"{"allOf":[{"type":"object","required":["a"]},{"type":"object","required":["b"]}]}"#,
            valid: #"{"a":1,"b":2}"#, invalid: #"{"a":1}"#, constraint: .required, pointer: ""),
        KeywordCase(schema: #"{"anyOf":[{"type":"string"},{"type":"integer"}]}"#, valid: "3", invalid: "true", constraint: .anyOf, pointer: ""),
        KeywordCase(
            schema: #"{"oneOf":[{"type":"integer"},{"type":"number","minimum":2}]}"#, valid: "1", invalid: "3",
            constraint: .oneOf, pointer: ""),
        KeywordCase(schema: #"{"not":{"type":"string"}}"#, valid: "1", invalid: #""s""#, constraint: .not, pointer: ""),
    ]

    @Test(arguments: cases) func keywordAcceptsAndRejects(_ c: KeywordCase) throws {
        let s = try schema(c.schema)
        let validator = SchemaValidator()
        let accepted = validator.validate(try json(c.valid), against: s)
        #expect(accepted.isEmpty, "valid value rejected: \(accepted)")
        let rejected = validator.validate(try json(c.invalid), against: s)
        #expect(rejected.map(\.constraint) == [c.constraint], "\(rejected)")
        #expect(rejected.first?.pointer.description == c.pointer)
    }

    /// The reproducer re-judges the answer with the violation's one-keyword check, in Python: it must
    /// agree with this validator — the rejected value breaks the check again, the accepted one does not
    /// (except for `oneOf`/`anyOf`/`not`, whose check is only the value's kind).
    @Test(arguments: cases) func theReproducersCheckAgreesWithTheValidator(_ c: KeywordCase) throws {
        let s = try schema(c.schema)
        let violation = try #require(SchemaValidator().validate(try json(c.invalid), against: s).first)
        let failure = "body-schema: 200 body " + violation.signature
        let check = violation.bodyCheck
        #expect(try ReproducerVerdict.holds(failure, bodyCheck: check, status: "200", body: c.invalid) == true, "\(check)")
        guard !check.schema.contains("x-kind") else { return }
        #expect(try ReproducerVerdict.holds(failure, bodyCheck: check, status: "200", body: c.valid) == false, "\(check)")
    }

    @Test func nestedViolationsNameTheirPointerAndStayOnOneShortLine() throws {
        let s = try schema(
            #"{"type":"object","properties":{"alerts":{"type":"array","items":{"type":"object","properties":{"#
                + #""labels":{"type":"object","additionalProperties":{"type":"string","maxLength":5}}}}}}}"#)
        let long = String(repeating: "x", count: 5_000)
        let value = try json(#"{"alerts":[{"labels":{"a/b":"ok"}},{"labels":{"env":""# + long + #"","n":7}}]}"#)
        let violations = SchemaValidator().validate(value, against: s)
        #expect(violations.map(\.pointer.description) == ["/alerts/1/labels/env", "/alerts/1/labels/n"])
        #expect(violations.map(\.constraint) == [.maxLength, .type])
        for violation in violations {
            #expect(violation.description.count <= 200)
            #expect(!violation.description.contains("\n"))
        }
        #expect(violations.first?.description.contains("(5,002 bytes)") == true)
    }

    @Test func formatsCanBeTurnedOffAndUnknownFormatsPass() throws {
        let s = try schema(#"{"type":"string","format":"uuid"}"#)
        #expect(!SchemaValidator(checksFormats: false).validate(.string("nope"), against: s).contains { $0.constraint == .format })
        #expect(!SchemaValidator().validate(.string("nope"), against: s).isEmpty)
        #expect(SchemaValidator().isValid(.string("anything"), against: try schema(#"{"type":"string","format":"x-custom"}"#)))
    }

    @Test func aFragmentAcceptsEverything() throws {
        let s = try schema("{}")
        for text in ["null", "1", #""s""#, "[1]", #"{"a":{}}"#] {
            #expect(SchemaValidator().isValid(try json(text), against: s))
        }
    }
}
