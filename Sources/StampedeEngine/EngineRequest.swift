public import StampedeHTTP

/// One request for the engine: any method token, a full URL, headers and a body.
public struct EngineRequest: Sendable, Equatable {
    /// Sent verbatim, including tokens that are not valid HTTP methods (mutants send them).
    /// `HEAD` reads no body; a body given with `HEAD` is not sent.
    public var method: String
    /// An absolute `http://` or `https://` URL; path segments such as `..` are sent as-is.
    public var url: String
    /// Sent in order. A header with an empty value is sent empty (not dropped). When the request
    /// has a body and no `Content-Type`, none is sent (libcurl's form default is suppressed).
    public var headers: [HTTPHeader]
    /// Sent with an explicit `Content-Length` for any method; `POST`, `PUT` and `PATCH` send
    /// `Content-Length: 0` when it is empty.
    public var body: [UInt8]
    /// The whole-transfer timeout in milliseconds; 0 means none.
    public var timeoutMs: Int
    /// Makes this a server-sent-events read with a hard window.
    public var sse: SSEOptions?
    /// When set, the transfer starts at this instant (open-model load) and
    /// `EngineResponse.latencyUs` is measured from it, so a late start counts as latency.
    public var scheduledAt: ContinuousClock.Instant?
    /// Streaming hook: head and body chunks as they arrive (see `ResponseStream`); nil for none.
    public var stream: ResponseStream? = nil
    /// Sent on a connection from a pool kept apart from the other requests' (per worker), so a
    /// request that leaves its connection in a state the server misreads never shares it with them.
    /// The Replayer sends monkeys there: after `CONNECT` or `Upgrade: websocket` some servers stop
    /// parsing HTTP on that connection, and the next request on it would hang or get a `400`.
    public var separateConnections = false
    /// The connection is closed after this transfer instead of going back to the pool.
    public var closesConnection = false

    /// A request; only `url` is required (a plain GET).
    public init(
        method: String = "GET",
        url: String,
        headers: [HTTPHeader] = [],
        body: [UInt8] = [],
        timeoutMs: Int = 0,
        sse: SSEOptions? = nil,
        scheduledAt: ContinuousClock.Instant? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutMs = timeoutMs
        self.sse = sse
        self.scheduledAt = scheduledAt
    }
}
