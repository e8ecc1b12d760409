public import StampedeHTTP

/// The outcome of one transfer: a response, a transport failure, or a response cut short.
public struct HTTPResponse: Sendable, Equatable {
    /// The final HTTP status; 0 when no response arrived.
    public var status: Int
    /// The final response's headers in order (interim `1xx` responses are dropped).
    public var headers: [HTTPHeader]
    /// The first `EngineConfiguration.bodyPrefixLimit` bytes of the body.
    public var body: [UInt8]
    /// Every body byte received, kept or not.
    public var bodyBytes: Int
    /// libcurl's phase timings.
    public var timings: Timings
    /// Set when the transfer failed at the transport level (connect, timeout, reset, empty reply).
    /// An SSE read cut by its window is not a failure.
    public var failure: TransportFailure?
    /// Set for SSE requests.
    public var sse: SSEResult?
    /// Connections libcurl opened for this transfer (0 when it reused a kept-alive one).
    public var newConnections: Int
    /// Microseconds from the scheduled send time (or submission) until the transfer started.
    public var startDelayUs: Int64
    /// Microseconds from the scheduled send time (or submission) until completion: the latency an
    /// open-model load reports, free of coordinated omission.
    public var latencyUs: Int64

    /// A response; the engine fills it, tests and callers may build one.
    public init(
        status: Int = 0,
        headers: [HTTPHeader] = [],
        body: [UInt8] = [],
        bodyBytes: Int = 0,
        timings: Timings = Timings(),
        failure: TransportFailure? = nil,
        sse: SSEResult? = nil,
        newConnections: Int = 0,
        startDelayUs: Int64 = 0,
        latencyUs: Int64 = 0
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.bodyBytes = bodyBytes
        self.timings = timings
        self.failure = failure
        self.sse = sse
        self.newConnections = newConnections
        self.startDelayUs = startDelayUs
        self.latencyUs = latencyUs
    }

    /// The first header with this name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.value(named: name)
    }

    /// Every `Set-Cookie` header value, in order.
    public var setCookies: [String] {
        headers.filter { HTTPHeader.namesEqual($0.name, "set-cookie") }.map(\.value)
    }

    /// The body prefix as UTF-8 text (invalid bytes replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
