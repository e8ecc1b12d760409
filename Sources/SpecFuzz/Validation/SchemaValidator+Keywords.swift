import Foundation
import OpenAPIKit
import StampedeCore

extension SchemaValidator {
    func checkNumber(
        _ value: JSONValue, _ n: Double, _ minimum: (Double, Bool)?, _ maximum: (Double, Bool)?, multipleOf: Double?,
        at pointer: JSONPointer, into out: inout [SchemaViolation]
    ) {
        let text = value.quoted
        if let (bound, exclusive) = minimum, exclusive ? n <= bound : n < bound {
            let which = exclusive ? "the exclusive minimum" : "the minimum"
            out.append(SchemaViolation(pointer: pointer, constraint: .minimum, reason: "\(text) is below \(which) \(ReportText.number(bound))",
                test: .keyword(exclusive ? "exclusiveMinimum" : "minimum", .double(bound))))
        }
        if let (bound, exclusive) = maximum, exclusive ? n >= bound : n > bound {
            let which = exclusive ? "the exclusive maximum" : "the maximum"
            out.append(SchemaViolation(pointer: pointer, constraint: .maximum, reason: "\(text) is above \(which) \(ReportText.number(bound))",
                test: .keyword(exclusive ? "exclusiveMaximum" : "maximum", .double(bound))))
        }
        if let multipleOf, multipleOf > 0, n.isFinite {
            let quotient = n / multipleOf
            if abs(quotient - quotient.rounded()) > 1e-9 * max(1, abs(quotient)) {
                let reason = "\(text) is not a multiple of \(ReportText.number(multipleOf))"
                out.append(SchemaViolation(pointer: pointer, constraint: .multipleOf, reason: reason, test: .keyword("multipleOf", .double(multipleOf))))
            }
        }
    }

    func checkString(_ s: String, _ context: JSONSchema.StringContext, at pointer: JSONPointer, into out: inout [SchemaViolation]) {
        let length = s.unicodeScalars.count
        let text = JSONValue.string(s).quoted
        if length < context.minLength {
            out.append(SchemaViolation(
                pointer: pointer, constraint: .minLength, reason: "\(text) has \(length) characters, fewer than minLength \(context.minLength)",
                test: .keyword("minLength", .int(context.minLength))))
        }
        if let maxLength = context.maxLength, length > maxLength {
            out.append(SchemaViolation(
                pointer: pointer, constraint: .maxLength, reason: "\(text) has \(length) characters, more than maxLength \(maxLength)",
                test: .keyword("maxLength", .int(maxLength))))
        }
        if let pattern = context.pattern, let regex = SchemaPattern.compiled(pattern), !SchemaPattern.matches(regex, s) {
            let shown = ReportText.abbreviated(pattern, limit: 60)
            out.append(SchemaViolation(pointer: pointer, constraint: .pattern, reason: "\(text) does not match the pattern \(shown)",
                test: .keyword("pattern", .string(pattern))))
        }
    }

    func checkFormat(_ value: JSONValue, _ format: String, at pointer: JSONPointer, into out: inout [SchemaViolation]) {
        guard checksFormats, !format.isEmpty, let problem = FormatCheck.problem(value, format: format) else { return }
        out.append(SchemaViolation(pointer: pointer, constraint: .format, reason: "\(value.quoted) is not a valid \(format): \(problem)",
            test: .keyword("format", .string(format))))
    }

    func checkArray(
        _ items: [JSONValue], _ context: DereferencedJSONSchema.ArrayContext, at pointer: JSONPointer, into out: inout [SchemaViolation]
    ) {
        if items.count < context.minItems {
            out.append(SchemaViolation(
                pointer: pointer, constraint: .minItems, reason: "\(items.count) items, fewer than minItems \(context.minItems)",
                test: .keyword("minItems", .int(context.minItems))))
        }
        if let maxItems = context.maxItems, items.count > maxItems {
            out.append(SchemaViolation(pointer: pointer, constraint: .maxItems, reason: "\(items.count) items, more than maxItems \(maxItems)",
                test: .keyword("maxItems", .int(maxItems))))
        }
        if context.uniqueItems {
            outer: for i in items.indices {
                for j in items.indices where j > i && items[i].schemaEquals(items[j]) {
                    let reason = "items \(i) and \(j) are equal (\(items[i].quoted))"
                    out.append(SchemaViolation(pointer: pointer, constraint: .uniqueItems, reason: reason, test: .keyword("uniqueItems", .bool(true))))
                    break outer
                }
            }
        }
        if let itemSchema = context.items {
            for (i, item) in items.enumerated() { check(item, itemSchema, at: pointer.appending(i), into: &out) }
        }
    }

    func checkObject(
        _ members: [JSONMember], _ context: DereferencedJSONSchema.ObjectContext, at pointer: JSONPointer, into out: inout [SchemaViolation]
    ) {
        let missing = context.requiredProperties.filter { name in !members.contains { $0.key == name } }
        for name in missing {
            let shown = JSONValue.string(name).quoted
            out.append(SchemaViolation(pointer: pointer, constraint: .required, reason: "the required member \(shown) is missing",
                test: .keyword("required", .array([.string(name)]))))
        }
        // OpenAPIKit folds the required count into minProperties: a missing required member is `required` alone.
        if missing.isEmpty, members.count < context.minProperties {
            let reason = "\(members.count) members, fewer than minProperties \(context.minProperties)"
            out.append(SchemaViolation(pointer: pointer, constraint: .minProperties, reason: reason, test: .keyword("minProperties", .int(context.minProperties))))
        }
        if let maxProperties = context.maxProperties, members.count > maxProperties {
            let reason = "\(members.count) members, more than maxProperties \(maxProperties)"
            out.append(SchemaViolation(pointer: pointer, constraint: .maxProperties, reason: reason, test: .keyword("maxProperties", .int(maxProperties))))
        }
        var seen: Set<String> = []
        for member in members where seen.insert(member.key).inserted {
            checkMember(member, context, in: pointer, into: &out)
        }
    }

    /// Checks one member of the object at `object`. An undeclared member breaks the object's
    /// `additionalProperties`, so it is reported at the object (its name only in the reason): one
    /// signature however many or whichever extra members an answer carries.
    func checkMember(
        _ member: JSONMember, _ context: DereferencedJSONSchema.ObjectContext, in object: JSONPointer, into out: inout [SchemaViolation]
    ) {
        let pointer = object.appending(member.key)
        var declared = false
        if let property = context.properties[member.key] {
            declared = true
            check(member.value, property, at: pointer, into: &out)
        }
        for (pattern, schema) in context.patternProperties {
            guard let regex = SchemaPattern.compiled(pattern), SchemaPattern.matches(regex, member.key) else { continue }
            declared = true
            check(member.value, schema, at: pointer, into: &out)
        }
        guard !declared else { return }
        switch context.additionalProperties {
        case .some(.a(false)):
            let reason = "the member \(JSONValue.string(member.key).quoted) is not declared and additionalProperties is false"
            out.append(SchemaViolation(pointer: object, constraint: .additionalProperties, reason: reason, test: Self.closedObjectTest(context)))
        case .some(.b(let schema)):
            check(member.value, schema, at: pointer, into: &out)
        default:
            return
        }
    }
}

extension SchemaValidator {
    /// The test of an `additionalProperties: false` violation: the declared names and patterns, and no other member.
    static func closedObjectTest(_ context: DereferencedJSONSchema.ObjectContext) -> JSONValue {
        .object([
            JSONMember("properties", .object(context.properties.keys.sorted().map { JSONMember($0, .object([])) })),
            JSONMember("patternProperties", .object(context.patternProperties.keys.sorted().map { JSONMember($0, .object([])) })),
            JSONMember("additionalProperties", .bool(false)),
        ])
    }
}

/// `pattern` regexes: ECMA-262 patterns run by `NSRegularExpression` (ICU), which agrees on the
/// common subset; a pattern ICU cannot compile is ignored rather than failing every value.
enum SchemaPattern {
    static func compiled(_ pattern: String) -> NSRegularExpression? {
        try? NSRegularExpression(pattern: pattern)
    }

    /// An unanchored search, as JSON Schema specifies.
    static func matches(_ regex: NSRegularExpression, _ string: String) -> Bool {
        regex.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) != nil
    }
}
