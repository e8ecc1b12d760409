public import StampedeCore

extension PropertySchema {
    /// A schema of the values shaped like `exemplar`: same members (all required), same JSON
    /// types, strings of any text up to twice the recorded length (at least 64), arrays of up
    /// to twice the recorded count (at least 8) shaped like their first element.
    ///
    /// Every leaf remembers its recorded value, which generation keeps half of the time. A
    /// numeric template placeholder (`{"id": {{script_id}}}`) stays as recorded: it names a value
    /// bound at send time, not data to vary.
    public static func inferred(from exemplar: JSONValue) -> PropertySchema {
        switch exemplar {
        case .null:
            return PropertySchema(.null)
        case .bool:
            return PropertySchema(.boolean, exemplar: exemplar)
        case .number(let number):
            if number.text.hasPrefix("{{") { return .oneOf([exemplar]) }
            if number.isInteger { return PropertySchema(.integer(Int(Int32.min)...Int(Int32.max)), exemplar: exemplar) }
            return PropertySchema(.number(-1e9...1e9), exemplar: exemplar)
        case .string(let text):
            let longest = max(64, 2 * text.unicodeScalars.count)
            return PropertySchema(.string(PropertyStringRule(length: 0...longest)), exemplar: exemplar)
        case .array(let elements):
            let items = elements.first.map(inferred(from:)) ?? .any()
            return PropertySchema(.array(items: items, count: 0...max(8, 2 * elements.count)))
        case .object(let members):
            var fields: [PropertyField] = []
            for member in members where !fields.contains(where: { $0.name == member.key }) {
                fields.append(PropertyField(member.key, inferred(from: member.value)))
            }
            return .object(fields)
        }
    }
}
