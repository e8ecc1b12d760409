public import StampedeClient
/// One second of a running replay, for the live progress line.
public struct ReplayProgress: Sendable, Equatable {
    /// Seconds since the start.
    public var elapsed: Int
    /// Requests finished in the last full second.
    public var rps: Int
    /// Requests in flight now.
    public var inFlight: Int
    /// p99 latency of the last full second, ms.
    public var p99Ms: Double
    /// Requests finished so far.
    public var totalRequests: Int
    /// Failures so far by class (cumulative).
    public var failures: [FailureClass: Int]
    /// Failure signatures seen so far.
    public var findings: Int
}
