public import APISpec
/// The JSON report of one run: the original suite's fields plus Stampede's additions.
///
/// Field names are snake_case like the original's. `docs/report.schema.json` describes the
/// document; `report_version` changes when a field changes meaning.
public struct ReplayReport: Codable, Sendable {
    public static let currentVersion = 1

    // The original suite's fields.
    public var runtimeSeconds: Double
    public var totalRequests: Int
    /// Status ≥ 400 or a transport failure (the original's definition).
    public var totalErrors: Int
    /// Transport failures by CURLcode name (the original's exception types).
    public var exceptions: [String: Int]
    /// Keyed by endpoint template, `POST /api/v1/scripts/{id}`.
    public var endpoints: [String: EndpointReport]
    public var timeline: TimelineReport
    public var notes: [String]

    // Stampede's additions.
    public var reportVersion: Int
    public var tool: String
    public var version: String
    public var runID: String
    public var seed: UInt64
    public var mode: String
    public var startedAt: String
    public var finishedAt: String
    /// True when the run was stopped early (Ctrl-C, SIGTERM).
    public var interrupted: Bool
    public var config: ReportConfig
    /// The most requests that were in flight at once, across all clients (≤ `config.concurrency`).
    public var maxInFlight: Int
    public var clients: ClientsReport
    /// Failures that are not expected answers, by class (`server_error`, `transport`, …).
    public var failureClasses: [String: Int]
    /// Per client kind: `user`, `monkey`.
    public var modes: [String: ModeReport]
    public var findings: [Finding]
    public var sse: SSEReport
    /// Crash records replayed before the load: still failing or fixed.
    public var regressions: [RegressionResult]
    /// Requests not sent because a `{{variable}}` was unresolved, by variable name (nil in
    /// reports written before it existed).
    public var unresolved: [String: Int]?
    /// Mutants dropped (and replaced) because their path left `--monkey-scope`; nil without monkeys.
    public var monkeyOutOfScope: Int? = nil
    /// Latency over every request of the run; absent in reports written before it existed.
    public var latencyMs: LatencySummary?
    /// The `--threshold` results, when the run had thresholds.
    public var thresholds: [ThresholdResult]?
    /// Latency from the scheduled send next to service time; nil in reports written before it.
    public var latency: LatencyReport?
    /// The part of a sharded run this report covers (one shard of one when not sharded).
    public var shard: ShardReport?
    /// The run's HDR histograms, serialized so reports merge exactly (`stampede report merge`).
    public var histograms: ReportHistograms?
    /// The shards a merged report was made of (`stampede report merge`); absent in a shard's own report.
    public var mergedShards: [ShardReport]?
    /// Per-operation coverage of the spec given with `--openapi`; absent without one.
    public var operations: [OperationCoverage]?

    public init(
        runtimeSeconds: Double, totalRequests: Int, totalErrors: Int, exceptions: [String: Int],
        endpoints: [String: EndpointReport], timeline: TimelineReport, notes: [String], tool: String,
        version: String, runID: String, seed: UInt64, mode: String, startedAt: String, finishedAt: String,
        interrupted: Bool, config: ReportConfig, maxInFlight: Int, clients: ClientsReport,
        failureClasses: [String: Int], modes: [String: ModeReport], findings: [Finding], sse: SSEReport,
        regressions: [RegressionResult] = [], latencyMs: LatencySummary? = nil, latency: LatencyReport? = nil
    ) {
        self.runtimeSeconds = runtimeSeconds
        self.totalRequests = totalRequests
        self.totalErrors = totalErrors
        self.exceptions = exceptions
        self.endpoints = endpoints
        self.timeline = timeline
        self.notes = notes
        self.reportVersion = Self.currentVersion
        self.tool = tool
        self.version = version
        self.runID = runID
        self.seed = seed
        self.mode = mode
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.interrupted = interrupted
        self.config = config
        self.maxInFlight = maxInFlight
        self.clients = clients
        self.failureClasses = failureClasses
        self.modes = modes
        self.findings = findings
        self.sse = sse
        self.regressions = regressions
        self.unresolved = [:]
        self.latencyMs = latencyMs
        self.latency = latency
    }

    enum CodingKeys: String, CodingKey {
        case exceptions, endpoints, timeline, notes, tool, version, seed, mode, interrupted, config
        case clients, modes, findings, sse, regressions, thresholds, unresolved, latency, shard, histograms, operations
        case mergedShards = "merged_shards"
        case latencyMs = "latency_ms"
        case runtimeSeconds = "runtime_seconds"
        case totalRequests = "total_requests"
        case totalErrors = "total_errors"
        case reportVersion = "report_version"
        case runID = "run_id"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case maxInFlight = "max_in_flight"
        case monkeyOutOfScope = "monkey_out_of_scope"
        case failureClasses = "failure_classes"
    }

    /// Failures that make the run fail: findings, crash records still failing, or user-flow failures.
    public var hasFailures: Bool {
        !findings.isEmpty || (modes[ClientKind.user.rawValue]?.failures ?? 0) > 0
            || regressions.contains { $0.status == .stillFailing }
    }
}

/// One endpoint template's numbers.
public struct EndpointReport: Codable, Sendable, Equatable {
    public var count: Int
    /// Status ≥ 400 or transport failure (the original's definition).
    public var errors: Int
    /// Failures by class (expected 4xx to monkey garbage is not one).
    public var failures: [String: Int]
    /// Status code → count; transport failures are counted under 599 like the original.
    public var status: [String: Int]
    public var latencyMs: LatencySummary?
    public var latencyMsSuccess: LatencySummary?
    public var latencyMsError: LatencySummary?
    public var bytesRx: Int

    public init(
        count: Int, errors: Int, failures: [String: Int], status: [String: Int], latencyMs: LatencySummary?,
        latencyMsSuccess: LatencySummary?, latencyMsError: LatencySummary?, bytesRx: Int
    ) {
        self.count = count
        self.errors = errors
        self.failures = failures
        self.status = status
        self.latencyMs = latencyMs
        self.latencyMsSuccess = latencyMsSuccess
        self.latencyMsError = latencyMsError
        self.bytesRx = bytesRx
    }

    enum CodingKeys: String, CodingKey {
        case count, errors, failures, status
        case latencyMs = "latency_ms"
        case latencyMsSuccess = "latency_ms_success"
        case latencyMsError = "latency_ms_error"
        case bytesRx = "bytes_rx"
    }

    // Absent summaries are written as null so every endpoint has the same keys.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(count, forKey: .count)
        try c.encode(errors, forKey: .errors)
        try c.encode(failures, forKey: .failures)
        try c.encode(status, forKey: .status)
        try c.encode(latencyMs, forKey: .latencyMs)
        try c.encode(latencyMsSuccess, forKey: .latencyMsSuccess)
        try c.encode(latencyMsError, forKey: .latencyMsError)
        try c.encode(bytesRx, forKey: .bytesRx)
    }
}

/// Per-second series; arrays have one entry per second since the start.
public struct TimelineReport: Codable, Sendable, Equatable {
    public var seconds: [Int]
    /// Requests finished in each second.
    public var rps: [Double]
    /// Errors (original definition) in each second.
    public var eps: [Double]
    /// Failures (findings classes) in each second.
    public var fps: [Double]
    /// p99 latency of the requests finished in each second, ms (0 when none).
    public var p99Ms: [Double]
    // The series below are absent in reports written before the HTML report existed.
    /// p50 and p90 latency of each second's requests, ms (0 when none).
    public var p50Ms: [Double]?
    public var p90Ms: [Double]?
    /// The most requests in flight during each second.
    public var inFlight: [Int]?
    /// Requests and errors per second for each client kind that ran (`user`, `monkey`).
    public var modes: [String: TimelineModeSeries]?

    public init(
        seconds: [Int], rps: [Double], eps: [Double], fps: [Double], p99Ms: [Double], p50Ms: [Double]? = nil,
        p90Ms: [Double]? = nil, inFlight: [Int]? = nil, modes: [String: TimelineModeSeries]? = nil
    ) {
        self.seconds = seconds
        self.rps = rps
        self.eps = eps
        self.fps = fps
        self.p99Ms = p99Ms
        self.p50Ms = p50Ms
        self.p90Ms = p90Ms
        self.inFlight = inFlight
        self.modes = modes
    }

    enum CodingKeys: String, CodingKey {
        case seconds, rps, eps, fps, modes
        case p99Ms = "p99_ms"
        case p50Ms = "p50_ms"
        case p90Ms = "p90_ms"
        case inFlight = "in_flight"
    }
}

/// One client kind's per-second requests and errors.
public struct TimelineModeSeries: Codable, Sendable, Equatable {
    /// Requests finished in each second.
    public var rps: [Double]
    /// Errors (original definition) in each second.
    public var eps: [Double]

    public init(rps: [Double], eps: [Double]) {
        self.rps = rps
        self.eps = eps
    }
}

/// The settings the run used (the password is never written).
public struct ReportConfig: Codable, Sendable, Equatable {
    public var corpus: String
    public var baseURL: String
    public var apiPrefix: String
    public var mode: String
    public var clients: Int
    public var concurrency: Int
    public var durationS: Double
    public var rate: Double?
    public var monkeyShare: Double
    public var requestTimeoutMs: Int
    public var sseWindowS: Double
    public var slowMs: Int?
    public var verifyTLS: Bool
    public var autoRegister: Bool
    public var userPrefix: String
    public var userDomain: String

    public init(
        corpus: String, baseURL: String, apiPrefix: String, mode: String, clients: Int, concurrency: Int,
        durationS: Double, rate: Double?, monkeyShare: Double, requestTimeoutMs: Int, sseWindowS: Double,
        slowMs: Int?, verifyTLS: Bool, autoRegister: Bool, userPrefix: String, userDomain: String
    ) {
        self.corpus = corpus
        self.baseURL = baseURL
        self.apiPrefix = apiPrefix
        self.mode = mode
        self.clients = clients
        self.concurrency = concurrency
        self.durationS = durationS
        self.rate = rate
        self.monkeyShare = monkeyShare
        self.requestTimeoutMs = requestTimeoutMs
        self.sseWindowS = sseWindowS
        self.slowMs = slowMs
        self.verifyTLS = verifyTLS
        self.autoRegister = autoRegister
        self.userPrefix = userPrefix
        self.userDomain = userDomain
    }

    enum CodingKeys: String, CodingKey {
        case corpus, mode, clients, concurrency, rate
        case baseURL = "base_url"
        case apiPrefix = "api_prefix"
        case durationS = "duration_s"
        case monkeyShare = "monkey_share"
        case requestTimeoutMs = "request_timeout_ms"
        case sseWindowS = "sse_window_s"
        case slowMs = "slow_ms"
        case verifyTLS = "verify_tls"
        case autoRegister = "auto_register"
        case userPrefix = "user_prefix"
        case userDomain = "user_domain"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(corpus, forKey: .corpus)
        try c.encode(baseURL, forKey: .baseURL)
        try c.encode(apiPrefix, forKey: .apiPrefix)
        try c.encode(mode, forKey: .mode)
        try c.encode(clients, forKey: .clients)
        try c.encode(concurrency, forKey: .concurrency)
        try c.encode(durationS, forKey: .durationS)
        try c.encode(rate, forKey: .rate)
        try c.encode(monkeyShare, forKey: .monkeyShare)
        try c.encode(requestTimeoutMs, forKey: .requestTimeoutMs)
        try c.encode(sseWindowS, forKey: .sseWindowS)
        try c.encode(slowMs, forKey: .slowMs)
        try c.encode(verifyTLS, forKey: .verifyTLS)
        try c.encode(autoRegister, forKey: .autoRegister)
        try c.encode(userPrefix, forKey: .userPrefix)
        try c.encode(userDomain, forKey: .userDomain)
    }
}

/// How many clients of each kind ran, and how evenly they worked.
public struct ClientsReport: Codable, Sendable, Equatable {
    public var user: Int
    public var monkey: Int
    /// Clients that finished at least one request.
    public var active: Int
    public var minRequestsPerClient: Int
    public var maxRequestsPerClient: Int
    /// Times a client logged in again after losing its session.
    public var relogins: Int

    public init(user: Int, monkey: Int, active: Int, minRequestsPerClient: Int, maxRequestsPerClient: Int, relogins: Int) {
        self.user = user
        self.monkey = monkey
        self.active = active
        self.minRequestsPerClient = minRequestsPerClient
        self.maxRequestsPerClient = maxRequestsPerClient
        self.relogins = relogins
    }

    enum CodingKeys: String, CodingKey {
        case user, monkey, active, relogins
        case minRequestsPerClient = "min_requests_per_client"
        case maxRequestsPerClient = "max_requests_per_client"
    }
}

/// One client kind's share of the run.
public struct ModeReport: Codable, Sendable, Equatable {
    public var clients: Int
    public var requests: Int
    public var errors: Int
    /// Failures of every class except `slow`.
    public var failures: Int
    public var failureClasses: [String: Int]
    /// `1xx`…`5xx` and `transport`.
    public var statusClasses: [String: Int]
    public var latencyMs: LatencySummary?
    /// User mode: sessions completed; monkey mode: mutants sent.
    public var iterations: Int

    public init(
        clients: Int, requests: Int, errors: Int, failures: Int, failureClasses: [String: Int],
        statusClasses: [String: Int], latencyMs: LatencySummary?, iterations: Int
    ) {
        self.clients = clients
        self.requests = requests
        self.errors = errors
        self.failures = failures
        self.failureClasses = failureClasses
        self.statusClasses = statusClasses
        self.latencyMs = latencyMs
        self.iterations = iterations
    }

    enum CodingKeys: String, CodingKey {
        case clients, requests, errors, failures, iterations
        case failureClasses = "failure_classes"
        case statusClasses = "status_classes"
        case latencyMs = "latency_ms"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(clients, forKey: .clients)
        try c.encode(requests, forKey: .requests)
        try c.encode(errors, forKey: .errors)
        try c.encode(failures, forKey: .failures)
        try c.encode(failureClasses, forKey: .failureClasses)
        try c.encode(statusClasses, forKey: .statusClasses)
        try c.encode(latencyMs, forKey: .latencyMs)
        try c.encode(iterations, forKey: .iterations)
    }
}

/// Server-sent event sampling, apart from request latency.
public struct SSEReport: Codable, Sendable, Equatable {
    public var streams: Int
    public var events: Int
    public var streamsWithoutEvents: Int
    /// Streams still open when their window ended (the window is a hard limit).
    public var cutByWindow: Int
    public var timeToFirstEventMs: LatencySummary?

    public init(streams: Int, events: Int, streamsWithoutEvents: Int, cutByWindow: Int, timeToFirstEventMs: LatencySummary?) {
        self.streams = streams
        self.events = events
        self.streamsWithoutEvents = streamsWithoutEvents
        self.cutByWindow = cutByWindow
        self.timeToFirstEventMs = timeToFirstEventMs
    }

    enum CodingKeys: String, CodingKey {
        case streams, events
        case streamsWithoutEvents = "streams_without_events"
        case cutByWindow = "cut_by_window"
        case timeToFirstEventMs = "time_to_first_event_ms"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(streams, forKey: .streams)
        try c.encode(events, forKey: .events)
        try c.encode(streamsWithoutEvents, forKey: .streamsWithoutEvents)
        try c.encode(cutByWindow, forKey: .cutByWindow)
        try c.encode(timeToFirstEventMs, forKey: .timeToFirstEventMs)
    }
}
