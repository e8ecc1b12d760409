/// A request on its way through a worker, with the callback that receives its response.
struct WorkerJob: Sendable {
    var request: EngineRequest
    var completion: @Sendable (EngineResponse) -> Void
    /// When `submit` was called; latency is measured from here unless the request is scheduled.
    var submittedAt: ContinuousClock.Instant
}
