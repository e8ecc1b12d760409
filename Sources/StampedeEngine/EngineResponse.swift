public import StampedeHTTP

/// The outcome of one transfer: a response, a transport failure, or a response cut short.
public struct EngineResponse: Sendable, Equatable {
    /// The final HTTP status; 0 when no response arrived.
    public var status: Int
    /// The final response's headers in order (interim `1xx` responses are dropped).
    ///
    /// Engine responses keep the raw header block and parse it when this is read; `header(_:)`
    /// and `setCookies` read single headers without building the whole list.
    public var headers: [HTTPHeader] {
        get { head?.headers ?? parsedHeaders }
        set {
            parsedHeaders = newValue
            head = nil
        }
    }
    private var parsedHeaders: [HTTPHeader]
    /// The raw header block, when the engine filled the response.
    private var head: HeaderBlock?
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
        self.parsedHeaders = headers
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
        if let head { return head.values(named: name, limit: 1).first }
        return parsedHeaders.first { HTTPHeader.namesEqual($0.name, name) }?.value
    }

    /// Every `Set-Cookie` header value, in order.
    public var setCookies: [String] {
        if let head { return head.values(named: "set-cookie") }
        return parsedHeaders.filter { HTTPHeader.namesEqual($0.name, "set-cookie") }.map(\.value)
    }

    /// Takes the raw header block of the final response (engine side; parsed on demand).
    mutating func setHead(_ bytes: [UInt8]) {
        parsedHeaders = []
        head = HeaderBlock(bytes: bytes)
    }

    /// Equal when every field is, headers compared parsed (raw and built lists of the same
    /// headers are equal).
    public static func == (lhs: EngineResponse, rhs: EngineResponse) -> Bool {
        lhs.status == rhs.status && lhs.headers == rhs.headers && lhs.body == rhs.body && lhs.bodyBytes == rhs.bodyBytes
            && lhs.timings == rhs.timings && lhs.failure == rhs.failure && lhs.sse == rhs.sse
            && lhs.newConnections == rhs.newConnections && lhs.startDelayUs == rhs.startDelayUs
            && lhs.latencyUs == rhs.latencyUs
    }

    /// The body prefix as UTF-8 text (invalid bytes replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
