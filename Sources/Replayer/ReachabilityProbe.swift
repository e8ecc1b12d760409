import StampedeEngine
import StampedeHTTP
import Synchronization

/// The pre-run check that the target answers: one GET of the base URL that succeeds on any HTTP
/// status and stops reading once the response head is in, so an event stream or an endless
/// chunked body at the base URL still counts as reachable.
enum ReachabilityProbe {
    /// Nil when a response head arrived within `timeoutMs`, else the transport failure.
    static func run(engine: HTTPEngine, baseURL: String, timeoutMs: Int) async -> TransportFailure? {
        let head = HeadSeen()
        var request = EngineRequest(url: baseURL + "/", timeoutMs: timeoutMs)
        request.stream = ResponseStream(
            onHead: { _, _ in head.flag.store(true, ordering: .releasing) },
            onBodyChunk: { _ in false })  // the head is all the probe needs: abort at the first body byte
        let response = await engine.send(request)
        if head.flag.load(ordering: .acquiring) || response.status > 0 { return nil }
        return response.failure
    }

    private final class HeadSeen: Sendable {
        let flag = Atomic<Bool>(false)
    }
}
