public import Replayer
import StampedeClient

/// What changed between two runs: per-endpoint latency, error rate and throughput, and which
/// findings are new, fixed or still there.
///
/// A change is a regression when it is worse than the tolerance (relative): p50 or p99 up by
/// more than `tolerance` and by at least 1 ms, the error rate up by more than `tolerance` and by
/// at least 0.1 percentage point, throughput down by more than `tolerance`. A new finding is a
/// regression too.
public struct ReportComparison: Codable, Sendable, Equatable {
    /// One metric of one endpoint in both runs.
    public struct Change: Codable, Sendable, Equatable {
        /// The value in the base run.
        public var base: Double
        /// The value in the new run.
        public var new: Double
        /// Relative change, `0.25` for +25 %; `nil` when the base is zero.
        public var relative: Double?
        /// Worse than the tolerance allows.
        public var regression: Bool
    }

    /// One endpoint template; `base`/`new` counts are 0 where it did not appear.
    public struct EndpointDelta: Codable, Sendable, Equatable {
        /// The template, `GET /api/v1/scripts/{id}`.
        public var endpoint: String
        /// `both`, `new` (only in the new run) or `gone` (only in the base run).
        public var presence: String
        /// Latency p50 and p99 in ms; `nil` when a run has no latency for it.
        public var p50Ms: Change?
        /// Latency p99 in ms; nil when a run has no latency for it.
        public var p99Ms: Change?
        /// Errors per 100 requests.
        public var errorRate: Change?
        /// Requests per second over each run's time.
        public var rps: Change?

        /// Whether any of its metrics regressed.
        public var regression: Bool { [p50Ms, p99Ms, errorRate, rps].contains { $0?.regression == true } }

        enum CodingKeys: String, CodingKey {
            case endpoint, presence, rps
            case p50Ms = "p50_ms"
            case p99Ms = "p99_ms"
            case errorRate = "error_rate_pct"
        }
    }

    /// One finding signature and whether it is `new`, `fixed` or `still` present.
    public struct FindingDelta: Codable, Sendable, Equatable {
        /// The finding's signature (how runs are matched).
        public var signature: String
        /// `new`, `fixed` or `still`.
        public var status: String
        /// `server_error`, `transport`, ….
        public var failureClass: String
        /// `500`, `CURLE_RECV_ERROR`, ….
        public var failure: String
        /// The endpoint template it was met on.
        public var endpoint: String

        enum CodingKeys: String, CodingKey {
            case signature, status, failure, endpoint
            case failureClass = "failure_class"
        }
    }

    /// The base report's name (its path on the command line).
    public var base: String
    /// The new report's name.
    public var new: String
    /// Relative tolerance, `0.1` for 10 %.
    public var tolerance: Double
    /// Every template of either run, sorted.
    public var endpoints: [EndpointDelta]
    /// New findings, then fixed, then still present.
    public var findings: [FindingDelta]
    /// Any endpoint regressed or any finding is new.
    public var regression: Bool

    enum CodingKeys: String, CodingKey {
        case base, new, tolerance, endpoints, findings, regression
    }

    /// Compares two reports; `tolerance` is relative (`0.1` = 10 %).
    public init(base: ReplayReport, new: ReplayReport, tolerance: Double, baseName: String = "base", newName: String = "new") {
        self.base = baseName
        self.new = newName
        self.tolerance = tolerance
        let keys = Set(base.endpoints.keys).union(new.endpoints.keys).sorted()
        endpoints = keys.map { key in
            Self.endpoint(key, base.endpoints[key], new.endpoints[key], base.runtimeSeconds, new.runtimeSeconds, tolerance)
        }
        findings = Self.findings(base.findings, new.findings)
        regression = endpoints.contains(where: \.regression) || findings.contains { $0.status == "new" }
    }

    private static func endpoint(
        _ key: String, _ b: EndpointReport?, _ n: EndpointReport?, _ baseSeconds: Double, _ newSeconds: Double, _ tol: Double
    ) -> EndpointDelta {
        guard let b, let n else { return EndpointDelta(endpoint: key, presence: b == nil ? "new" : "gone") }
        func rate(_ e: EndpointReport) -> Double { e.count > 0 ? Double(e.errors) * 100 / Double(e.count) : 0 }
        func rps(_ e: EndpointReport, _ s: Double) -> Double { s > 0 ? Double(e.count) / s : 0 }
        func latency(_ a: Double?, _ z: Double?) -> Change? {
            guard let a, let z else { return nil }
            return change(a, z, worse: z > a * (1 + tol) && z - a >= 1)
        }
        let (re, rn) = (rate(b), rate(n))
        let (tb, tn) = (rps(b, baseSeconds), rps(n, newSeconds))
        return EndpointDelta(
            endpoint: key, presence: "both", p50Ms: latency(b.latencyMs?.p50, n.latencyMs?.p50),
            p99Ms: latency(b.latencyMs?.p99, n.latencyMs?.p99),
            errorRate: change(re, rn, worse: rn > re * (1 + tol) && rn - re >= 0.1),
            rps: change(tb, tn, worse: tn < tb * (1 - tol)))
    }

    private static func change(_ base: Double, _ new: Double, worse: Bool) -> Change {
        Change(base: base, new: new, relative: base != 0 ? (new - base) / base : nil, regression: worse)
    }

    private static func findings(_ base: [Finding], _ new: [Finding]) -> [FindingDelta] {
        let baseSignatures = Set(base.map(\.signature))
        let newSignatures = Set(new.map(\.signature))
        func delta(_ f: Finding, _ status: String) -> FindingDelta {
            FindingDelta(signature: f.signature, status: status, failureClass: f.failureClass.rawValue, failure: f.failure, endpoint: f.endpoint)
        }
        let bySignature = { (a: FindingDelta, b: FindingDelta) in a.signature < b.signature }
        let added = new.filter { !baseSignatures.contains($0.signature) }.map { delta($0, "new") }.sorted(by: bySignature)
        let fixed = base.filter { !newSignatures.contains($0.signature) }.map { delta($0, "fixed") }.sorted(by: bySignature)
        let still = new.filter { baseSignatures.contains($0.signature) }.map { delta($0, "still") }.sorted(by: bySignature)
        return added + fixed + still
    }
}
