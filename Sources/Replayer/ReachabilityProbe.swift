import Foundation
import StampedeEngine
import StampedeHTTP
import Synchronization

/// The pre-run check that the target answers: one GET of the base URL that succeeds on any HTTP
/// status and stops reading once the response head is in, so an event stream or an endless
/// chunked body at the base URL still counts as reachable. The head's `Date` header, when there
/// is one, tells how far the target's clock is from ours. A reply that is not HTTP is reachable
/// too: the run goes on, and its requests become `protocol` findings (#14).
enum ReachabilityProbe {
    /// What the probe learnt.
    struct Outcome: Sendable {
        /// Nil when a response head arrived in time, else the transport failure.
        var failure: TransportFailure?
        /// The target's clock against ours; nil without a readable `Date` header.
        var clockSkew: ClockSkew?
    }

    static func run(engine: HTTPEngine, baseURL: String, timeoutMs: Int) async -> Outcome {
        let head = HeadSeen()
        var request = EngineRequest(url: baseURL + "/", timeoutMs: timeoutMs)
        request.stream = ResponseStream(
            onHead: { _, headers in head.seen(date: headers.value(named: "Date")) },
            onBodyChunk: { _ in false })  // the head is all the probe needs: abort at the first body byte
        let sentAt = Date()
        let response = await engine.send(request)
        let (seen, date, receivedAt) = head.state.withLock { ($0.seen, $0.date, $0.at) }
        let skew = date.flatMap { ClockSkew.measure(dateHeader: $0, sentAt: sentAt, receivedAt: receivedAt ?? Date()) }
        // Any answer from the peer counts: a head, a status, or a reply that is not HTTP.
        let answered = seen || response.status > 0 || response.failure?.isProtocolViolation == true
        return answered ? Outcome(failure: nil, clockSkew: skew) : Outcome(failure: response.failure, clockSkew: nil)
    }

    private final class HeadSeen: Sendable {
        let state = Mutex<(seen: Bool, date: String?, at: Date?)>((false, nil, nil))

        func seen(date: String?) {
            let now = Date()
            state.withLock { $0 = (true, date, now) }
        }
    }
}
