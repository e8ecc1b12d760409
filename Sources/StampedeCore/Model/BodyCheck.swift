/// What the reproducer of a `body-schema` conformance finding re-checks in the answer: some value at
/// ``pointer`` breaks ``schema``, a JSON Schema holding only the keyword the finding's value broke.
///
/// ```json
/// {"pointer": "/items/*/id", "schema": "{\"type\":[\"integer\"]}"}
/// ```
public struct BodyCheck: Codable, Hashable, Sendable {
    /// A JSON pointer into the answer's body; `*` stands for any array index.
    public var pointer: String
    /// The keyword as JSON Schema text (`{"required":["id"]}`); `{"x-kind":"object"}` for a keyword a
    /// script cannot re-judge (`oneOf`, `anyOf`, `not`): the value is of that JSON kind again.
    public var schema: String

    /// A check of the values at `pointer` against `schema` (JSON text).
    public init(pointer: String, schema: String) {
        self.pointer = pointer
        self.schema = schema
    }
}
