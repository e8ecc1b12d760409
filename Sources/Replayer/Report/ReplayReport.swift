public import APISpec
/// The JSON report of one run: the original suite's fields plus Stampede's additions.
///
/// Field names are snake_case like the original's. `docs/report.schema.json` describes the
/// document; `report_version` changes when a field changes meaning.
public struct ReplayReport: Codable, Sendable {
    /// The `report_version` this tool writes.
    public static let currentVersion = 1

    // The original suite's fields.
    /// Seconds from the start to the end of the stop grace.
    public var runtimeSeconds: Double
    /// Requests finished and counted.
    public var totalRequests: Int
    /// Status ≥ 400 or a transport failure (the original's definition).
    public var totalErrors: Int
    /// Transport failures by CURLcode name (the original's exception types).
    public var exceptions: [String: Int]
    /// Keyed by endpoint template, `POST /api/v1/scripts/{id}`.
    public var endpoints: [String: EndpointReport]
    /// Per-second series.
    public var timeline: TimelineReport
    /// Explanations and warnings for people, one line each.
    public var notes: [String]

    // Stampede's additions.
    /// Changes when a field changes meaning.
    public var reportVersion: Int
    /// Always `stampede`.
    public var tool: String
    /// The tool version that wrote the report.
    public var version: String
    /// The run id (shared by every shard of a run).
    public var runID: String
    /// The run seed (rerun with `--seed`).
    public var seed: UInt64
    /// `user`, `monkey` or `both`.
    public var mode: String
    /// ISO 8601 UTC start time.
    public var startedAt: String
    /// ISO 8601 UTC end time (after triage).
    public var finishedAt: String
    /// True when the run was stopped early (Ctrl-C, SIGTERM).
    public var interrupted: Bool
    /// The settings the run used.
    public var config: ReportConfig
    /// The most requests that were in flight at once, across all clients (≤ `config.concurrency`).
    public var maxInFlight: Int
    /// How many clients ran and how evenly they worked.
    public var clients: ClientsReport
    /// Failures that are not expected answers, by class (`server_error`, `transport`, …).
    public var failureClasses: [String: Int]
    /// Per client kind: `user`, `monkey`.
    public var modes: [String: ModeReport]
    /// Failure signatures seen, after triage.
    public var findings: [Finding]
    /// Server-sent event sampling.
    public var sse: SSEReport
    /// Crash records replayed before the load: still failing or fixed.
    public var regressions: [RegressionResult]
    /// Requests not sent because a `{{variable}}` was unresolved, by variable name (nil in
    /// reports written before it existed).
    public var unresolved: [String: Int]?
    /// Mutants dropped (and replaced) because their path left `--monkey-scope`; nil without monkeys.
    public var monkeyOutOfScope: Int? = nil
    /// Per mutation operator: mutants sent, new response shapes found, findings; nil without monkeys.
    public var operatorYield: [OperatorYield]? = nil
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
    /// Per user flow (corpus session id); nil in reports written before it, and without user clients.
    public var flows: [String: FlowReport]?
    /// The shards a merged report was made of (`stampede report merge`); absent in a shard's own report.
    public var mergedShards: [ShardReport]?
    /// Per-operation coverage of the spec given with `--openapi`; absent without one.
    public var operations: [OperationCoverage]?

    /// A report with the given sections; `unresolved` starts empty.
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
        case clients, modes, findings, sse, regressions, thresholds, unresolved, latency, shard, histograms, flows, operations
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
        case operatorYield = "operator_yield"
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
    /// Requests to the endpoint.
    public var count: Int
    /// Status ≥ 400 or transport failure (the original's definition).
    public var errors: Int
    /// Failures by class (expected 4xx to monkey garbage is not one).
    public var failures: [String: Int]
    /// Status code → count; transport failures are counted under 599 like the original.
    public var status: [String: Int]
    /// Latency of all its requests; null when none.
    @ExplicitNull public var latencyMs: LatencySummary?
    /// Latency of its successful requests; null when none.
    @ExplicitNull public var latencyMsSuccess: LatencySummary?
    /// Latency of its errors; null when none.
    @ExplicitNull public var latencyMsError: LatencySummary?
    /// Response body bytes received.
    public var bytesRx: Int

    /// An endpoint's numbers.
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

}

/// Per-second series; arrays have one entry per second since the start.
public struct TimelineReport: Codable, Sendable, Equatable {
    /// Seconds since the start, one entry per second.
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
    /// p90 latency of each second's requests, ms (0 when none).
    public var p90Ms: [Double]?
    /// The most requests in flight during each second.
    public var inFlight: [Int]?
    /// Requests and errors per second for each client kind that ran (`user`, `monkey`).
    public var modes: [String: TimelineModeSeries]?

    /// Per-second series of equal length.
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

    /// One kind's series.
    public init(rps: [Double], eps: [Double]) {
        self.rps = rps
        self.eps = eps
    }
}

/// The settings the run used (the password is never written).
public struct ReportConfig: Codable, Sendable, Equatable {
    /// The corpus replayed.
    public var corpus: String
    /// The target.
    public var baseURL: String
    /// The API prefix replacing `/api/v1`.
    public var apiPrefix: String
    /// `user`, `monkey` or `both`.
    public var mode: String
    /// Clients of all kinds (all shards).
    public var clients: Int
    /// Requests in flight at most.
    public var concurrency: Int
    /// The planned duration, seconds.
    public var durationS: Double
    /// Open-model sends per second; null for the closed model.
    @ExplicitNull public var rate: Double?
    /// Share of clients that are monkeys.
    public var monkeyShare: Double
    /// Whole-request timeout, ms.
    public var requestTimeoutMs: Int
    /// Hard window of SSE reads, seconds.
    public var sseWindowS: Double
    /// Latency above which a request is `slow`; null when off.
    @ExplicitNull public var slowMs: Int?
    /// Whether TLS certificates were checked.
    public var verifyTLS: Bool
    /// Whether user clients registered before logging in.
    public var autoRegister: Bool
    /// The start of each client's username.
    public var userPrefix: String
    /// The domain of each client's e-mail.
    public var userDomain: String

    /// The settings of a run.
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

}

/// How many clients of each kind ran, and how evenly they worked.
public struct ClientsReport: Codable, Sendable, Equatable {
    /// User clients.
    public var user: Int
    /// Monkey clients.
    public var monkey: Int
    /// Clients that finished at least one request.
    public var active: Int
    /// Fewest requests finished by one client.
    public var minRequestsPerClient: Int
    /// Most requests finished by one client.
    public var maxRequestsPerClient: Int
    /// Times a client logged in again after losing its session.
    public var relogins: Int

    /// The client counts of a run.
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
    /// Clients of this kind.
    public var clients: Int
    /// Requests they finished.
    public var requests: Int
    /// Status ≥ 400 or transport failure.
    public var errors: Int
    /// Failures of every class except `slow`.
    public var failures: Int
    /// Failures by class.
    public var failureClasses: [String: Int]
    /// `1xx`…`5xx` and `transport`.
    public var statusClasses: [String: Int]
    /// Latency of their requests; null when none.
    @ExplicitNull public var latencyMs: LatencySummary?
    /// User mode: sessions completed; monkey mode: mutants sent.
    public var iterations: Int

    /// One kind's numbers.
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

}

/// Server-sent event sampling, apart from request latency.
public struct SSEReport: Codable, Sendable, Equatable {
    /// SSE reads made.
    public var streams: Int
    /// Events received.
    public var events: Int
    /// Streams that ended without an event.
    public var streamsWithoutEvents: Int
    /// Streams still open when their window ended (the window is a hard limit).
    public var cutByWindow: Int
    /// Time to the first event; null when none.
    @ExplicitNull public var timeToFirstEventMs: LatencySummary?

    /// The SSE numbers of a run.
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

}
