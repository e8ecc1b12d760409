import Foundation
import OpenAPIKit
import StampedeCore
import Testing

/// A dereferenced schema from its JSON text (no `$ref`s).
func schema(_ json: String) throws -> DereferencedJSONSchema {
    let decoded = try JSONDecoder().decode(JSONSchema.self, from: Data(json.utf8))
    return try #require(decoded.dereferenced(), "schema has unresolved references: \(json)")
}

/// A JSON value from its text.
func json(_ text: String) throws -> JSONValue {
    try JSONParser().parse(text)
}
