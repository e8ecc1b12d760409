/// Case-insensitive header lookup: the one place header names are compared (RFC 9110 §5.1).
extension Sequence where Element == HTTPHeader {
    /// The value of the first header named `name` (ASCII case-insensitive), or nil.
    public func value(named name: String) -> String? {
        first { HTTPHeader.namesEqual($0.name, name) }?.value
    }

    /// Whether a header named `name` is present (ASCII case-insensitive).
    public func contains(named name: String) -> Bool {
        contains { HTTPHeader.namesEqual($0.name, name) }
    }
}

extension Array where Element == HTTPHeader {
    /// Removes every header named `name` (ASCII case-insensitive).
    public mutating func removeAll(named name: String) {
        removeAll { HTTPHeader.namesEqual($0.name, name) }
    }
}

extension HTTPHeader {
    /// Whether two header names are equal, ignoring ASCII case, without allocating.
    public static func namesEqual(_ a: String, _ b: String) -> Bool {
        ASCII.equalsIgnoringCase(a, b)
    }
}
