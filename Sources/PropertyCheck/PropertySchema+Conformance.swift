public import StampedeCore

extension PropertySchema {
    /// Whether `value` is valid under this schema (the invariant generation and shrinking keep).
    public func conforms(_ value: JSONValue) -> Bool {
        if value == .null, nullable { return true }
        switch shape {
        case .any(let depth):
            return value.depth <= depth + 1
        case .null:
            return value == .null
        case .boolean:
            return value.boolValue != nil
        case .integer(let range):
            guard case .number(let number) = value, number.isInteger, let int = Int(number.text) else { return false }
            return range.contains(int)
        case .number(let range):
            guard case .number(let number) = value, number.value.isFinite else { return false }
            return range.contains(number.value)
        case .string(let rule):
            guard let text = value.stringValue else { return false }
            return rule.accepts(text)
        case .oneOf(let values):
            return values.contains(value)
        case .array(let items, let count):
            guard let elements = value.arrayValue, count.contains(elements.count) else { return false }
            return elements.allSatisfy(items.conforms)
        case .object(let fields):
            guard let members = value.objectMembers else { return false }
            var seen: Set<String> = []
            for member in members {
                guard seen.insert(member.key).inserted, let field = fields.first(where: { $0.name == member.key }),
                    field.schema.conforms(member.value)
                else { return false }
            }
            return fields.allSatisfy { !$0.required || seen.contains($0.name) }
        case .map(let keys, let values, let count):
            guard let members = value.objectMembers, count.contains(members.count) else { return false }
            var seen: Set<String> = []
            for member in members {
                guard seen.insert(member.key).inserted, keys.accepts(member.key), values.conforms(member.value) else {
                    return false
                }
            }
            return true
        }
    }
}
