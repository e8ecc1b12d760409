import Foundation
import StampedeCore
import Yams

/// A spec document as a plain JSON-like tree (dictionaries, arrays, strings, numbers, booleans,
/// `NSNull`): what YAML and JSON parse to before the OpenAPI model is decoded from it.
enum SpecTree {
    /// Parses JSON or YAML text into a JSON-safe tree (YAML dates and integer keys become strings).
    static func parse(_ data: [UInt8], name: String) throws(SpecError) -> [String: Any] {
        let text = String(decoding: data, as: UTF8.self)
        let first = text.first { !$0.isWhitespace }
        var raw: Any?
        if first == "{" {
            raw = try? JSONSerialization.jsonObject(with: Data(data), options: [.fragmentsAllowed])
        }
        if raw == nil {
            do {
                raw = try Yams.load(yaml: text)
            } catch {
                throw SpecError("\(name): not JSON or YAML (\(Self.firstLine(String(describing: error))))")
            }
        }
        guard let tree = normalize(raw as Any) as? [String: Any] else {
            throw SpecError("\(name): the document is not an object")
        }
        return tree
    }

    /// The tree with keys as strings and every leaf a JSON value.
    static func normalize(_ value: Any) -> Any {
        switch value {
        case let dict as [String: Any]:
            return dict.mapValues(normalize)
        case let dict as [AnyHashable: Any]:
            var out: [String: Any] = [:]
            for (key, item) in dict { out[String(describing: key.base)] = normalize(item) }
            return out
        case let array as [Any]:
            return array.map(normalize)
        case is String, is Bool, is Int, is Double, is NSNull, is NSNumber:
            return value
        case let date as Date:
            return ISO8601DateFormatter().string(from: date).replacingOccurrences(of: "T00:00:00Z", with: "")
        default:
            return String(describing: value)
        }
    }

    /// The tree with integer schemas' bounds beyond 64 bits clamped to `Int`'s range: OpenAPIKit
    /// reads integer bounds as `Int`, and specs do write `maximum: 9223372036854775808` (2^63, Kinto's
    /// `_limit`), which would make the whole document fail to decode.
    static func clampingIntegerBounds(_ tree: [String: Any]) -> [String: Any] {
        clampBounds(tree) as? [String: Any] ?? tree
    }

    static func clampBounds(_ node: Any) -> Any {
        if let array = node as? [Any] { return array.map(clampBounds) }
        guard var dict = node as? [String: Any] else { return node }
        for (key, value) in dict { dict[key] = clampBounds(value) }
        let type = dict["type"]
        let integer = type as? String == "integer" || (type as? [Any])?.contains { $0 as? String == "integer" } == true
        guard integer else { return dict }
        for key in ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"] {
            guard let number = dict[key] as? NSNumber, !(dict[key] is Bool) else { continue }
            let value = number.doubleValue
            // 2^63 as a double is Int.max rounded up: anything from there on is clamped.
            if value >= Double(Int.max) { dict[key] = Int.max } else if value <= Double(Int.min) { dict[key] = Int.min }
        }
        return dict
    }

    /// The JSON encoding of a tree (for decoding it into the OpenAPI model).
    static func encode(_ tree: [String: Any]) throws(SpecError) -> Data {
        do {
            return try JSONSerialization.data(withJSONObject: tree, options: [.sortedKeys])
        } catch {
            throw SpecError("the document cannot be encoded as JSON (\(firstLine(String(describing: error))))")
        }
    }

    /// The node a JSON pointer (`/components/schemas/User`, RFC 6901) names in a tree. A `$ref`
    /// fragment is URI-encoded, so it is percent-decoded first, then read as a pointer (RFC 6901 §6).
    static func node(at pointer: String, in root: Any) -> Any? {
        guard let parsed = try? JSONPointer(pointer.removingPercentEncoding ?? pointer) else { return nil }
        var node: Any = root
        for token in parsed.tokens {
            if let dict = node as? [String: Any], let next = dict[token] {
                node = next
            } else if let array = node as? [Any], let i = Int(token), array.indices.contains(i) {
                node = array[i]
            } else {
                return nil
            }
        }
        return node
    }

    static func firstLine(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
        return line.count > 160 ? String(line.prefix(160)) + "…" : line
    }
}
