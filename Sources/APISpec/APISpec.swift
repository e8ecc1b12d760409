public import OpenAPIKit

/// Namespace of the OpenAPI support (filled in by the openapi-spec work).
public enum APISpec {
    /// The document model every loaded spec is converted to.
    public typealias Document = OpenAPIKit.OpenAPI.Document
}
