public import APISpec
public import StampedeClient
public import Mutator
public import StampedeCore

/// Everything a replay run needs besides the corpus.
public struct ReplayOptions: Sendable {
    /// The original suite's settings (base URL, mode, clients, concurrency, duration, identity…).
    public var load: LoadConfig
    /// Shown in the report.
    public var corpusPath: String
    /// Drives every random choice (mutants, session picks, generated values); printed and recorded.
    public var seed: UInt64
    /// Short hex id of the run, part of every client's username.
    public var runID: String
    /// Open model: request sends per second across all clients; `nil` = closed model.
    public var rate: Double?
    /// Share of the clients that are monkeys in `both` mode.
    public var monkeyShare: Double
    /// Whole-request timeout; a request still unanswered then is a `timeout` failure.
    public var requestTimeoutMs: Int
    /// Read window for SSE steps without their own (a hard limit).
    public var sseWindowSeconds: Double
    /// Requests slower than this count in the `slow` class; `nil` = off.
    public var slowMs: Int?
    /// Engine worker threads; 0 = one per core.
    public var workers: Int
    /// How long to wait for requests still in flight when the run ends before cutting them.
    public var stopGraceMs: Int
    /// A CA bundle for verifying a private CA (`--cacert`); `nil` = the system store.
    public var caCertPath: String?
    /// Offer HTTP/2 (`--http2`); HTTP/1.1 otherwise.
    public var http2: Bool
    /// Confirmation and minimization of findings after the load.
    public var triage: TriageOptions
    /// The part of the run this process plays (`--shard`); `load.clients` and the seed stay global.
    public var shard: Shard = .single
    /// Values for `{{secret.NAME}}` (never printed: reports show `$STAMPEDE_SECRET_NAME`).
    public var secrets: Secrets
    /// Where monkeys may send requests (`--monkey-scope`).
    public var monkeyScope: MonkeyScope = .prefix
    /// The API's OpenAPI document bound to the corpus (`--openapi`): its operations join the
    /// monkeys' parents, answers are checked for conformance and coverage is counted.
    public var spec: SpecRun?
    /// Largest body a monkey's depth or width bomb builds (`--max-body`).
    public var monkeyMaxBody = MutatorConfiguration.defaultMaximumBody

    /// Options for a run; the rest take the CLI's defaults.
    public init(
        load: LoadConfig, corpusPath: String, seed: UInt64, runID: String, rate: Double? = nil,
        monkeyShare: Double = 0.5, requestTimeoutMs: Int = 10_000, sseWindowSeconds: Double = 8,
        slowMs: Int? = nil, workers: Int = 0, stopGraceMs: Int = 1_500,
        caCertPath: String? = nil, http2: Bool = false, triage: TriageOptions = TriageOptions(), secrets: Secrets = Secrets()
    ) {
        self.secrets = secrets
        self.caCertPath = caCertPath
        self.http2 = http2
        self.load = load
        self.corpusPath = corpusPath
        self.seed = seed
        self.runID = runID
        self.rate = rate
        self.monkeyShare = monkeyShare
        self.requestTimeoutMs = requestTimeoutMs
        self.sseWindowSeconds = sseWindowSeconds
        self.slowMs = slowMs
        self.workers = workers
        self.stopGraceMs = stopGraceMs
        self.triage = triage
    }

    /// How many user and monkey clients the mode and share give.
    public var clientSplit: (user: Int, monkey: Int) {
        let n = load.clients
        switch load.mode {
        case .user: return (n, 0)
        case .monkey: return (0, n)
        case .both:
            guard n > 1 else { return (n, 0) }
            let monkeys = min(n - 1, max(1, Int((Double(n) * monkeyShare).rounded())))
            return (n - monkeys, monkeys)
        }
    }
}
