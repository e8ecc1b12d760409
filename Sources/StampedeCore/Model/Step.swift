/// What a step's response should look like when replayed as recorded.
public struct Expectation: Codable, Hashable, Sendable {
    /// The exact status recorded (informational).
    public var status: Int?
    /// The status class that counts as success on replay: 2 for 2xx, 4 for 4xx, ….
    public var statusClass: Int

    /// Expects the class of `status` (`201` → 2xx).
    public init(status: Int) {
        self.status = status
        self.statusClass = status / 100
    }

    /// Expects `statusClass`; `status` is what was recorded, if known.
    public init(status: Int?, statusClass: Int) {
        self.status = status
        self.statusClass = statusClass
    }

    enum CodingKeys: String, CodingKey {
        case status
        case statusClass = "class"
    }
}

/// Binds a variable from a response.
///
/// `expression` is interpreted by `source`: a JSON pointer (`/execution_id`), a header name
/// (`Location`), a cookie name (`csrf_token`), or a regular expression whose first capture group
/// (or whole match) is the value, applied to the body. `header` and `regex` can combine with
/// `pattern` to cut a part of a header value.
public struct ExtractRule: Codable, Hashable, Sendable {
    /// Where an extract rule reads its value.
    public enum Source: String, Codable, Hashable, Sendable {
        case json, header, cookie, regex
    }

    /// The variable it binds.
    public var variable: String
    /// Where the value is read.
    public var source: Source
    /// A JSON pointer, header name, cookie name or regular expression, by `source`.
    public var expression: String
    /// Optional regex applied to the extracted header value (first capture group).
    public var pattern: String?

    /// A rule binding `variable` from `source` at `expression`.
    public init(variable: String, source: Source, expression: String, pattern: String? = nil) {
        self.variable = variable
        self.source = source
        self.expression = expression
        self.pattern = pattern
    }

    enum CodingKeys: String, CodingKey {
        case variable = "var"
        case source = "from"
        case expression = "expr"
        case pattern
    }
}

/// Streaming options: the step's response is a server-sent event stream sampled for a window.
public struct StreamOptions: Codable, Hashable, Sendable {
    /// `sse` is the only kind in v1.
    public var kind: String
    /// Hard limit on the read window in seconds; `nil` means the run's `--sse-window` (default 8).
    public var windowSeconds: Double?

    /// An SSE read of `windowSeconds` (nil: the run's window).
    public init(kind: String = "sse", windowSeconds: Double? = nil) {
        self.kind = kind
        self.windowSeconds = windowSeconds
    }

    enum CodingKeys: String, CodingKey {
        case kind
        case windowSeconds = "window_s"
    }
}

/// Poll options: the step is repeated until a JSON field of the response holds a terminal value.
public struct PollOptions: Codable, Hashable, Sendable {
    /// JSON pointer of the field to watch, e.g. `/status`.
    public var pointer: String
    /// Values that end the polling, e.g. `completed`, `failed`.
    public var until: [String]
    /// Upper bound on attempts (the original: 5).
    public var maxAttempts: Int
    /// Pause between attempts in milliseconds (the original: 500).
    public var intervalMs: Int

    /// Polls `pointer` until one of `until`, at most `maxAttempts` times `intervalMs` apart.
    public init(pointer: String, until: [String], maxAttempts: Int = 5, intervalMs: Int = 500) {
        self.pointer = pointer
        self.until = until
        self.maxAttempts = maxAttempts
        self.intervalMs = intervalMs
    }

    enum CodingKeys: String, CodingKey {
        case pointer, until
        case maxAttempts = "max_attempts"
        case intervalMs = "interval_ms"
    }
}

/// The part a step plays in a session, so the replayer can re-establish identity.
public enum StepRole: String, Codable, Hashable, Sendable {
    case register, login, logout
}

/// One request of a recorded session plus what to do with its response.
public struct Step: Codable, Hashable, Sendable {
    /// The request to send.
    public var request: RequestTemplate
    /// What the response should be; nil for any.
    public var expect: Expectation?
    /// Variables bound from the response.
    public var extract: [ExtractRule]
    /// Set when the response is a server-sent event stream.
    public var stream: StreamOptions?
    /// Set when the step repeats until a field holds a terminal value.
    public var poll: PollOptions?
    /// Set when the step registers, logs in or logs out.
    public var role: StepRole?
    /// Endpoint template key (`POST /api/v1/scripts/{id}`), filled by the recorder.
    public var endpoint: String?
    /// Names of the cookies the recorded response set (names only, never values), so a replay can
    /// tell which earlier step a `{{cookie.NAME}}` or a sent cookie depends on.
    public var setsCookies: [String]

    /// A step sending `request`.
    public init(
        request: RequestTemplate,
        expect: Expectation? = nil,
        extract: [ExtractRule] = [],
        stream: StreamOptions? = nil,
        poll: PollOptions? = nil,
        role: StepRole? = nil,
        endpoint: String? = nil,
        setsCookies: [String] = []
    ) {
        self.request = request
        self.expect = expect
        self.extract = extract
        self.stream = stream
        self.poll = poll
        self.role = role
        self.endpoint = endpoint
        self.setsCookies = setsCookies
    }

    /// Reads a step; missing arrays are empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        request = try c.decode(RequestTemplate.self, forKey: .request)
        expect = try c.decodeIfPresent(Expectation.self, forKey: .expect)
        extract = try c.decodeIfPresent([ExtractRule].self, forKey: .extract) ?? []
        stream = try c.decodeIfPresent(StreamOptions.self, forKey: .stream)
        poll = try c.decodeIfPresent(PollOptions.self, forKey: .poll)
        role = try c.decodeIfPresent(StepRole.self, forKey: .role)
        endpoint = try c.decodeIfPresent(String.self, forKey: .endpoint)
        setsCookies = try c.decodeIfPresent([String].self, forKey: .setsCookies) ?? []
    }

    /// Writes a step; empty and nil fields are left out.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(request, forKey: .request)
        try c.encodeIfPresent(expect, forKey: .expect)
        if !extract.isEmpty { try c.encode(extract, forKey: .extract) }
        try c.encodeIfPresent(stream, forKey: .stream)
        try c.encodeIfPresent(poll, forKey: .poll)
        try c.encodeIfPresent(role, forKey: .role)
        try c.encodeIfPresent(endpoint, forKey: .endpoint)
        if !setsCookies.isEmpty { try c.encode(setsCookies, forKey: .setsCookies) }
    }

    enum CodingKeys: String, CodingKey {
        case request, expect, extract, stream, poll, role, endpoint
        case setsCookies = "sets_cookies"
    }
}
