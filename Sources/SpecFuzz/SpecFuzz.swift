public import OpenAPIKit

/// Namespace of the schema-driven generation family (validator, value and request generators).
public enum SpecFuzz {
    /// The OpenAPI version this module's generators read.
    public static let documentVersion = OpenAPI.Document.Version.v3_1_1
}
