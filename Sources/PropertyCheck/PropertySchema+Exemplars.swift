public import StampedeCore

extension PropertySchema {
    /// A schema covering several recorded exemplars of the same body.
    ///
    /// Beyond ``inferred(from:)``: members missing from some exemplars become optional; values of
    /// one member across exemplars are merged (a member that is sometimes `null` becomes
    /// nullable); strings that all look like emails, UUIDs, ISO dates or RFC 3339 date-times get
    /// that format; and a string member with few distinct values seen over at least three
    /// exemplars (at most half as many values as observations, at most 8) becomes an enumeration
    /// of those values. Array items are inferred from the elements of every exemplar.
    ///
    /// ```swift
    /// let schema = PropertySchema.inferred(fromExemplars: recordedBodies)
    /// var rng = SeededGenerator(seed: 1)
    /// let variant = schema.generate(using: &rng)   // valid, by the recordings' standards
    /// ```
    public static func inferred(fromExemplars exemplars: [JSONValue]) -> PropertySchema {
        guard let first = exemplars.first else { return .any() }
        let present = exemplars.filter { $0 != .null }
        if present.isEmpty { return PropertySchema(.null) }
        let nullable = present.count < exemplars.count
        let kinds = Set(present.map(\.kind))
        guard kinds.count == 1, let sample = present.first else {
            var schema = PropertySchema.any(depth: 2)
            schema.nullable = nullable
            return schema
        }
        var schema: PropertySchema
        switch sample {
        case .null:
            schema = PropertySchema(.null)
        case .bool:
            schema = PropertySchema(.boolean, exemplar: sample)
        case .number:
            let numbers = present.compactMap { v -> JSONNumber? in
                if case .number(let n) = v { return n }
                return nil
            }
            if numbers.contains(where: { $0.text.hasPrefix("{{") }) {
                schema = .oneOf(Array(uniqued(present)))
            } else if numbers.allSatisfy(\.isInteger) {
                schema = PropertySchema(.integer(Int(Int32.min)...Int(Int32.max)), exemplar: sample)
            } else {
                schema = PropertySchema(.number(-1e9...1e9), exemplar: sample)
            }
        case .string:
            schema = inferString(present.compactMap(\.stringValue), exemplar: sample)
        case .array:
            let elements = present.flatMap { $0.arrayValue ?? [] }
            let longest = present.map { $0.arrayValue?.count ?? 0 }.max() ?? 0
            let items = elements.isEmpty ? PropertySchema.any() : inferred(fromExemplars: elements)
            schema = PropertySchema(.array(items: items, count: 0...max(8, 2 * longest)))
        case .object:
            var names: [String] = []
            for value in present {
                for member in value.objectMembers ?? [] where !names.contains(member.key) { names.append(member.key) }
            }
            let fields = names.map { name -> PropertyField in
                let values = present.compactMap { $0[key: name] }
                return PropertyField(name, inferred(fromExemplars: values), required: values.count == present.count)
            }
            schema = .object(fields)
        }
        schema.nullable = schema.nullable || nullable
        if schema.exemplar == nil, first != .null, !sample.isContainer { schema.exemplar = sample }
        return schema
    }

    static func inferString(_ texts: [String], exemplar: JSONValue) -> PropertySchema {
        let distinct = uniqued(texts.map(JSONValue.string))
        if texts.count >= 3, distinct.count <= min(8, texts.count / 2) {
            return .oneOf(distinct)
        }
        let longest = texts.map(\.unicodeScalars.count).max() ?? 0
        var rule = PropertyStringRule(length: 0...max(64, 2 * longest))
        if texts.allSatisfy(StringFormats.isUUID) {
            rule = PropertyStringRule(length: 36...36, format: .uuid)
        } else if texts.allSatisfy(StringFormats.isDateTime) {
            rule = PropertyStringRule(length: 20...40, format: .dateTime)
        } else if texts.allSatisfy(StringFormats.isDate) {
            rule = PropertyStringRule(length: 10...10, format: .date)
        } else if texts.allSatisfy(looksLikeEmail) {
            rule = PropertyStringRule(length: 3...max(64, 2 * longest), alphabet: .nonSpace, format: .email)
        }
        return PropertySchema(.string(rule), exemplar: exemplar)
    }

    /// `local@domain.tld` with no spaces: stricter than the `.email` format accepts, so that
    /// free text with an `@` in it is not taken for an address.
    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".")
        else { return false }
        return !text.unicodeScalars.contains { $0.properties.isWhitespace }
    }

    static func uniqued(_ values: [JSONValue]) -> [JSONValue] {
        var seen: Set<JSONValue> = []
        return values.filter { seen.insert($0).inserted }
    }
}
