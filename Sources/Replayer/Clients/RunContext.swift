import APISpec
import Foundation
import Mutator
import StampedeClient
import StampedeCore
import StampedeEngine
import Synchronization

/// What every virtual client of one run shares. Immutable or internally synchronized.
final class RunContext: Sendable {
    let options: ReplayOptions
    let plan: ReplayPlan
    let renderer: StepRenderer
    /// Explains unresolved variables.
    let sources: VariableSources
    let engine: HTTPEngine
    let limiter: ConcurrencyLimiter
    let gauge = InFlightGauge()
    let scheduler: DelayScheduler
    let metrics: MetricsRecorder
    let findings: FindingsBook
    let mutator: Mutator?
    let pacer: OpenModelPacer?
    let start: ContinuousClock.Instant
    let deadline: ContinuousClock.Instant

    /// No new requests once set (deadline or Ctrl-C).
    let stopping = Atomic<Bool>(false)
    /// Completions after this are ignored: the report is being written.
    let closed = Atomic<Bool>(false)
    let relogins = Atomic<Int>(0)
    let sessionsCompleted = Atomic<Int>(0)
    let mutantsSent = Atomic<Int>(0)
    /// Requests not sent because a variable was unresolved, by variable, with the first reason.
    private let unresolvedCounts = Mutex<[String: (count: Int, reason: String)]>([:])
    /// Mutants dropped before sending because the engine would refuse them (`HTTPEngine.refusal`).
    let mutantsRefused = Atomic<Int>(0)
    /// Timeouts of mutants by method token (methods the corpus never records only).
    private let methodTimeouts = Mutex<[String: Int]>([:])
    let recordedMethods: Set<String>
    let recordedEndpoints: Set<String>

    init(
        options: ReplayOptions, plan: ReplayPlan, renderer: StepRenderer, engine: HTTPEngine,
        scheduler: DelayScheduler, mutator: Mutator?, start: ContinuousClock.Instant, shards: Int
    ) {
        self.options = options
        self.plan = plan
        self.renderer = renderer
        self.sources = VariableSources(sessions: plan.corpusSessions)
        self.engine = engine
        self.limiter = ConcurrencyLimiter(permits: options.load.concurrency)
        self.scheduler = scheduler
        self.metrics = MetricsRecorder(shardCount: shards, start: start)
        self.findings = FindingsBook(start: start)
        self.mutator = mutator
        self.start = start
        self.deadline = start + .milliseconds(Int64(options.load.duration * 1000))
        // Spec operations count under their own template too, recorded or not.
        self.recordedEndpoints = plan.recordedEndpoints.union(options.spec?.binding.operations.map(\.operation.endpoint) ?? [])
        var methods = Set<String>()
        for session in plan.corpusSessions { for step in session.steps { methods.insert(step.request.method) } }
        self.recordedMethods = methods
        self.pacer = options.rate.map { OpenModelPacer(start: start, rate: $0) }
    }

    var isStopping: Bool { stopping.load(ordering: .relaxed) }
    var isClosed: Bool { closed.load(ordering: .relaxed) }

    /// Counts a request left unsent because of `variables` (a step of `session`); returns them explained.
    func noteUnresolved(_ variables: [String], session: String?) -> [UnresolvedVariable] {
        let explained = variables.map { sources.explain($0, session: session) }
        unresolvedCounts.withLock { counts in
            for v in explained { counts[v.name, default: (0, v.reason)].count += 1 }
        }
        return explained
    }

    /// Unsent requests by variable, and each variable's first reason.
    var unresolved: [(name: String, count: Int, reason: String)] {
        unresolvedCounts.withLock { $0.map { ($0.key, $0.value.count, $0.value.reason) }.sorted { $0.name < $1.name } }
    }

    /// Methods whose mutants timed out this often are no longer sent: each such hang holds a
    /// permit for the whole request timeout, and a few of them would starve every other client.
    static let quarantineAfterTimeouts = 2

    /// Counts a timeout of a mutant's method; returns true when the method is now quarantined.
    func noteTimeout(method: String) {
        guard !recordedMethods.contains(method) else { return }
        methodTimeouts.withLock { $0[method, default: 0] += 1 }
    }

    func isQuarantined(method: String) -> Bool {
        return methodTimeouts.withLock { ($0[method] ?? 0) >= Self.quarantineAfterTimeouts }
    }

    /// Methods skipped because their mutants kept timing out.
    var quarantinedMethods: [String] {
        methodTimeouts.withLock { $0.filter { $0.value >= Self.quarantineAfterTimeouts }.keys.sorted() }
    }

    /// The text a finding names its failure by.
    static func failureText(_ response: EngineResponse, failureClass: FailureClass, expectClass: Int?) -> String {
        if let failure = response.failure { return failure.name }
        if failureClass == .expectation, let expectClass { return "expected \(expectClass)xx, got \(response.status)" }
        return String(response.status)
    }
}

/// Fixed send slots for the open model: slot k is at `start + k / rate`, whether or not the
/// previous ones went out on time, so latency measured from the slot has no coordinated omission.
final class OpenModelPacer: Sendable {
    let start: ContinuousClock.Instant
    let intervalNanoseconds: Double
    private let next = Atomic<Int>(0)

    init(start: ContinuousClock.Instant, rate: Double) {
        self.start = start
        intervalNanoseconds = 1e9 / max(rate, 0.001)
    }

    func nextSlot() -> ContinuousClock.Instant {
        let k = next.wrappingAdd(1, ordering: .relaxed).oldValue
        return start + .nanoseconds(Int64(Double(k) * intervalNanoseconds))
    }
}
