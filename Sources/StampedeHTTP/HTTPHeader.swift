/// One HTTP header as recorded or sent; order and duplicates are preserved.
public struct HTTPHeader: Codable, Hashable, Sendable {
    /// The header name as written on the wire (compare with `namesEqual`, never `==`).
    public var name: String
    /// The header value, unfolded.
    public var value: String

    /// A header named `name` with `value`.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
