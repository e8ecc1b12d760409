public import StampedeCore

/// A structural fingerprint of a response body, for the `shape` of a `MutationOutcome`.
///
/// Two JSON bodies have the same shape when they have the same member names and value kinds at
/// the same places; values themselves, array lengths and member order do not count (an array's
/// shape is the set of its elements' shapes). Other bodies are told apart only by being empty
/// or not. The hash (FNV-1a) is the same on every machine.
///
/// ```swift
/// let shape = ResponseShape.fingerprint(body: responsePrefix)
/// mutator.feedback(mutant, outcome: MutationOutcome(endpoint: key, status: status, shape: shape))
/// ```
public enum ResponseShape {
    /// The fingerprint of a (possibly truncated) response body.
    public static func fingerprint(body: [UInt8]) -> UInt64 {
        if body.isEmpty { return 1 }
        guard let value = try? JSONParser(maximumDepth: 64).parse(body) else { return 2 }
        return fingerprint(value)
    }

    /// The fingerprint of a parsed JSON value.
    public static func fingerprint(_ value: JSONValue) -> UInt64 {
        switch value {
        case .null: return hash("null")
        case .bool: return hash("bool")
        case .number: return hash("number")
        case .string: return hash("string")
        case .array(let items):
            // Order-independent and count-independent: XOR of the distinct element shapes.
            var seen: Set<UInt64> = []
            var combined: UInt64 = 0
            for item in items {
                let shape = fingerprint(item)
                if seen.insert(shape).inserted { combined ^= shape }
            }
            return hash("array", combined)
        case .object(let members):
            var combined: UInt64 = 0
            for member in members {
                // Sum of per-member hashes: independent of member order.
                combined &+= hash(member.key, fingerprint(member.value))
            }
            return hash("object", combined)
        }
    }

    static func hash(_ text: String, _ extra: UInt64 = 0) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 {
            h = (h ^ UInt64(b)) &* 0x100_0000_01b3
        }
        for shift in stride(from: 0, to: 64, by: 8) {
            h = (h ^ ((extra >> UInt64(shift)) & 0xFF)) &* 0x100_0000_01b3
        }
        return h
    }
}
