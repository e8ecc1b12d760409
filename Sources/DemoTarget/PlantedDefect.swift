/// A deliberate, deterministic server failure planted in the demo target for a fuzzer to find.
///
/// Every defect is reachable from a request of the recorded user flow by one mutation (method, path
/// segment, query parameter, header or body), and all of them switch off with
/// ``DemoServerOptions/defects`` = `false` (`stampede serve-demo --no-defects`).
public struct PlantedDefect: Sendable, Hashable {
    /// How the failure shows on the wire.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A `500 Internal Server Error` response.
        case serverError
        /// The connection is closed without any response bytes.
        case droppedConnection
        /// No response for ``PlantedDefects/hangDuration`` (longer than 10 s).
        case hang
        /// A 4xx or 2xx answer that breaks the demo's own `/openapi.json` (status or body).
        case conformance
    }

    /// Stable short id, `D1`, `D2`, ….
    public let id: String
    /// One line saying what is wrong.
    public let summary: String
    /// How it fails.
    public let kind: Kind
    /// The endpoint template it lives on, e.g. `GET /api/v1/notifications`.
    public let endpoint: String
    /// The minimal trigger, in words.
    public let trigger: String

    /// Creates a defect description.
    public init(id: String, summary: String, kind: Kind, endpoint: String, trigger: String) {
        self.id = id
        self.summary = summary
        self.kind = kind
        self.endpoint = endpoint
        self.trigger = trigger
    }
}
