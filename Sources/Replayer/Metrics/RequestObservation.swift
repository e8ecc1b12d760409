import StampedeClient
/// What one finished request contributes to the metrics.
struct RequestObservation: Sendable {
    var kind: ClientKind
    /// The corpus session a user client's request belongs to; nil for monkeys.
    var flow: String? = nil
    /// Endpoint template key, `POST /api/v1/scripts/{id}`.
    var endpoint: String
    /// HTTP status; 0 when the transport failed before one arrived.
    var status: Int
    /// CURLcode name of a transport failure (`CURLE_RECV_ERROR`), if any.
    var transportFailure: String?
    /// From the send time the load model set (the open model's slot) until the response.
    var latencyMicroseconds: Int64
    var bytesReceived: Int
    /// The failure class, when the response is a failure; `.slow` only when nothing worse applies.
    var failure: FailureClass?
    var slow: Bool
    var sse: SSEObservation?
    /// From the real start of the transfer until the response (`latency - startDelay`).
    var serviceMicroseconds: Int64 = 0
    /// How long after the scheduled send time the transfer started.
    var startDelayMicroseconds: Int64 = 0

    /// The original suite's notion of an error: status ≥ 400 or a transport failure.
    var isLegacyError: Bool { transportFailure != nil || status >= 400 || status == 0 }
}

/// What one sampled server-sent event stream contributes.
struct SSEObservation: Sendable {
    var events: Int
    var timeToFirstEventMicroseconds: Int64?
    var cutByWindow: Bool
}
