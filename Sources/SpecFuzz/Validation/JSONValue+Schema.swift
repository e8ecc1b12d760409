public import OpenAPIKit
import Foundation
public import StampedeCore

extension JSONValue {
    /// A schema's `enum`/`const`/`default`/`example` value as a `JSONValue` (nil when it does not encode as JSON).
    public init?(_ value: AnyCodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(value), let parsed = try? JSONParser().parse(Array(data)) else { return nil }
        self = parsed
    }

    /// JSON Schema equality: numbers by value (`1` equals `1.0`), objects regardless of member order.
    public func schemaEquals(_ other: JSONValue) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a.value == b.value
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.schemaEquals($1) }
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            return a.allSatisfy { member in
                b.contains { $0.key == member.key && $0.value.schemaEquals(member.value) }
            }
        default: return false
        }
    }

    /// Whether this is a number with an integral, finite value (JSON Schema counts `2.0` as an integer).
    var isIntegral: Bool {
        guard case .number(let n) = self, n.value.isFinite else { return false }
        return n.value == n.value.rounded()
    }
}
