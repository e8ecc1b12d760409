public import OpenAPIKit

/// Namespace of the OpenAPI support: loading, binding to recorded state, conformance and coverage.
public enum APISpec {
    /// The document model every loaded spec is converted to.
    public typealias Document = OpenAPIKit.OpenAPI.Document
}
