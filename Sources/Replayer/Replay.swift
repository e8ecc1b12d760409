import APISpec
public import Foundation
import Mutator
import StampedeClient
public import StampedeCore
public import StampedeEngine
import Synchronization

/// One replay run: virtual user and monkey clients against a target for a duration.
///
/// ```swift
/// let replay = try Replay(options: options, sessions: corpus.sessions)
/// if let failure = await replay.probe() { … }          // fail fast on an unreachable target
/// let report = await replay.run { progress in … }     // progress once per second
/// ```
/// `stop()` (Ctrl-C) ends the run early; the report is still complete for what ran. A `Replay`
/// runs once: `run` shuts its engine down at the end.
public final class Replay: Sendable {
    /// The run's settings.
    public let options: ReplayOptions
    /// What user clients replay: identity steps and sessions.
    public let plan: ReplayPlan
    private let renderer: StepRenderer
    private let engine: HTTPEngine
    private let scheduler: DelayScheduler
    private let mutator: Mutator?
    private let stopRequested = Atomic<Bool>(false)
    private let startDate: Mutex<Date> = Mutex(Date())
    private let clockSkew = Mutex<ClockSkew?>(nil)
    private let regressionResults = Mutex<[RegressionResult]>([])
    /// Crash records that still fail, by signature: findings with these signatures are known bugs.
    private let stillFailing = Mutex<[String: Session]>([:])

    /// - Throws: `EngineError` when the HTTP engine cannot start.
    public init(options: ReplayOptions, sessions: [Session], engine: HTTPEngine? = nil) throws {
        self.options = options
        let renderer = StepRenderer(
            baseURL: options.load.baseURL, apiPrefix: options.load.apiPrefix, secrets: options.secrets,
            requestTimeoutMs: options.requestTimeoutMs, sseWindowMs: Int(options.sseWindowSeconds * 1000))
        // Spec operations are weight-0 sessions: parents for the monkeys, never picked by users.
        let sessions = sessions + (options.spec?.binding.sessions ?? [])
        let plan = ReplayPlan(sessions: sessions, autoRegister: options.load.autoRegister, renderer: renderer)
        self.plan = plan
        let workers = options.workers > 0 ? options.workers : EngineConfiguration.coreCount
        let http = try engine ?? HTTPEngine(
            configuration: EngineConfiguration(
                workers: workers, verifyTLS: options.load.verifyTLS, caCertPath: options.caCertPath, http2: options.http2,
                receiveBufferSize: EngineConfiguration.receiveBufferSize(forConcurrentTransfers: options.load.concurrency),
                allowedOrigin: options.load.baseURL))
        let hasSteps = sessions.contains { !$0.steps.isEmpty }
        self.renderer = renderer
        self.engine = http
        self.scheduler = DelayScheduler()
        self.mutator = options.clientSplit.monkey > 0 && hasSteps ? Mutator(sessions: sessions, configuration: MutatorConfiguration(scope: options.monkeyScope, maximumBodyBytes: options.monkeyMaxBody)) : nil
    }

    /// Sends one GET to the base URL (2 s timeout); returns the transport failure if the target
    /// cannot be reached. Any HTTP status counts as reachable; the body is not read.
    /// The answer's `Date` header sets `targetClockSkew`.
    public func probe(timeoutMs: Int = 2_000) async -> TransportFailure? {
        let outcome = await ReachabilityProbe.run(engine: engine, baseURL: options.load.baseURL, timeoutMs: timeoutMs)
        clockSkew.withLock { $0 = outcome.clockSkew }
        return outcome.failure
    }

    /// The target's clock against this machine's, from the last `probe`; nil without a `Date` header.
    public var targetClockSkew: ClockSkew? { clockSkew.withLock { $0 } }

    /// Replays crash records (before the load): each once as a fresh client, its context steps
    /// then its failing step; reports each as still failing or fixed. The results go into the
    /// next `run`'s report; with a crash directory configured, still-failing records get their
    /// last sighting updated.
    public func replayRegressions(_ crashes: [(session: Session, file: String?)]) async -> [RegressionResult] {
        guard !crashes.isEmpty else { return [] }
        let triage = Triage(
            options: options, plan: plan, renderer: renderer, engine: engine, mutator: mutator,
            isStopped: { [self] in stopRequested.load(ordering: .relaxed) })
        let results = await triage.regressions(crashes)
        if let directory = options.triage.crashDirectory {
            let store = CrashStore(directory: directory)
            let now = ISO8601.string(from: Date())
            for r in results where r.status == .stillFailing { try? store.markSeen(signature: r.signature, at: now) }
        }
        regressionResults.withLock { $0 += results }
        stillFailing.withLock { known in
            for (r, entry) in zip(results, crashes) where r.status == .stillFailing { known[r.signature] = entry.session }
        }
        return results
    }

    /// Ends the run early (Ctrl-C); `run` then returns its report within the stop grace.
    public func stop() {
        stopRequested.store(true, ordering: .relaxed)
    }

    /// Runs until the duration passes or `stop()`; returns the report (not yet written).
    ///
    /// After the load, findings are confirmed, minimized and merged (`options.triage`) with the
    /// same engine, off the measured window, unless the run was interrupted.
    ///
    /// - Parameters:
    ///   - progress: called about once per second from the run's task.
    ///   - note: one-line status messages (triage starting, finished).
    public func run(
        progress: @Sendable (ReplayProgress) -> Void = { _ in }, note: @Sendable (String) -> Void = { _ in }
    ) async -> ReplayReport {
        // Clients and metrics measure from the moment the run starts, not from init.
        let start = ContinuousClock.now
        let runContext = RunContext(
            options: options, plan: plan, renderer: renderer, engine: engine, scheduler: scheduler, mutator: mutator,
            start: start, shards: max(4, engine.configuration.workers * 2))
        let began = Date()
        startDate.withLock { $0 = began }
        let clients = startClients(runContext)
        let interrupted = await measure(runContext, progress: progress)
        let cut = await windDown(runContext)
        let ending = RunEnding(began: began, runtime: ContinuousClock.now - start, interrupted: interrupted, cutInFlight: cut)

        var report = ReplayReport(run: runContext, clients: clients, ending: ending)
        report.operations = options.spec?.coverage.snapshot()
        report.regressions = regressionResults.withLock { $0 }
        Self.reportUnresolved(runContext, into: &report, note: note)
        report.monkeyOutOfScope = mutator?.outOfScopeCount
        if options.triage.enabled && !interrupted {
            await triage(&report, runContext, note: note)
        } else if options.triage.enabled && !report.findings.isEmpty {
            report.notes.append("findings were not confirmed or minimized: the run was interrupted")
        }
        if let mutator { report.operatorYield = OperatorYield.rows(mutator.statistics(), findings: report.findings) }
        runContext.engine.shutdown()
        return report
    }

    /// Starts this process's clients: a shard runs its own global indices (index → identity and
    /// seed), one process runs all.
    private func startClients(_ runContext: RunContext) -> [VirtualClient] {
        let split = options.clientSplit
        var clients: [VirtualClient] = []
        for i in 0..<split.user where options.shard.owns(client: i) {
            clients.append(VirtualClient(kind: .user, index: i, loggedIn: true, context: runContext))
        }
        for m in 0..<split.monkey where options.shard.owns(client: split.user + m) {
            clients.append(
                VirtualClient(kind: .monkey, index: split.user + m, loggedIn: m % 2 == 0, context: runContext))
        }
        for client in clients { client.start() }
        return clients
    }

    /// The measured window: closes each second's metrics and reports progress until the deadline,
    /// `stop()` or task cancellation. Returns whether the run was interrupted.
    private func measure(_ runContext: RunContext, progress: @Sendable (ReplayProgress) -> Void) async -> Bool {
        var failures: [FailureClass: Int] = [:]
        var nextTick = runContext.start + .seconds(1)
        // The second the in-flight window that started at the last tick belongs to.
        var windowSecond = 0
        defer { runContext.metrics.recordInFlight(second: windowSecond, peak: runContext.gauge.takeWindowPeak()) }
        while true {
            let now = ContinuousClock.now
            // A cancelled task ends the run like stop(): Task.sleep below would no longer wait.
            if stopRequested.load(ordering: .relaxed) || Task.isCancelled { return true }
            if now >= runContext.deadline { return false }
            if now >= nextTick {
                let second = runContext.metrics.second(of: now)
                runContext.metrics.recordInFlight(second: windowSecond, peak: runContext.gauge.takeWindowPeak())
                windowSecond = second
                let points = runContext.metrics.closeSeconds(before: second)
                for p in points {
                    for c in FailureClass.allCases where p.failures[c.index] > 0 { failures[c, default: 0] += p.failures[c.index] }
                }
                let last = points.last
                progress(
                    ReplayProgress(
                        elapsed: second, rps: last?.requests ?? 0, inFlight: runContext.gauge.value,
                        p99Ms: last?.p99Milliseconds ?? 0,
                        totalRequests: runContext.metrics.timelinePoints.reduce(0) { $0 + $1.requests },
                        failures: failures, findings: runContext.findings.count))
                nextTick = nextTick + .seconds(1)
                if second % HeapTrim.interval == 0 { HeapTrim.releaseFreePages() }
            }
            let wake = min(nextTick, runContext.deadline, now + .milliseconds(100))
            try? await Task.sleep(until: wake, clock: .continuous)
        }
    }

    /// No new requests; the ones in flight get the stop grace, then are cut. Closes the last
    /// second's metrics and returns how many requests were cut.
    private func windDown(_ runContext: RunContext) async -> Int {
        runContext.stopping.store(true, ordering: .relaxed)
        _ = runContext.limiter.drainWaiters()
        let graceEnd = ContinuousClock.now + .milliseconds(Int64(options.stopGraceMs))
        while runContext.gauge.value > 0 && ContinuousClock.now < graceEnd && !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(10))
        }
        let cut = runContext.gauge.value
        runContext.closed.store(true, ordering: .relaxed)
        runContext.scheduler.stop()
        let end = ContinuousClock.now
        runContext.metrics.recordInFlight(second: runContext.metrics.second(of: end), peak: runContext.gauge.takeWindowPeak())
        runContext.metrics.closeSeconds(before: runContext.metrics.second(of: end) + 1)
        return cut
    }

    /// Counts requests left unsent per variable; one note and one warning line per variable.
    private static func reportUnresolved(_ ctx: RunContext, into report: inout ReplayReport, note: @Sendable (String) -> Void) {
        for variable in ctx.unresolved {
            report.unresolved?[variable.name] = variable.count
            let line = "{{\(variable.name)}} unresolved: \(variable.reason) (\(variable.count) request(s) not sent)"
            report.notes.append(line)
            note("stampede: warning: " + line)
        }
    }

    /// Confirms, minimizes and merges the report's findings, saving crash records as they finish.
    private func triage(_ report: inout ReplayReport, _ ctx: RunContext, note: @Sendable (String) -> Void) async {
        let handled: Set<FailureClass> = [.serverError, .transport, .timeout, .protocol]
        let count = report.findings.filter { handled.contains($0.failureClass) }.count
        guard count > 0 else { return }
        note("triage: confirming and minimizing \(count) finding(s) (budget \(options.triage.budget) probes each)")
        let began = ContinuousClock.now
        let triage = Triage(
            options: options, plan: plan, renderer: renderer, engine: engine, mutator: mutator,
            isStopped: { [self] in stopRequested.load(ordering: .relaxed) })
        let before = report.findings.count
        report.findings = await triage.run(
            findings: report.findings, seeds: ctx.findings.seeds(), known: stillFailing.withLock { $0 })
        let seconds = Double((ContinuousClock.now - began) / .milliseconds(1)) / 1000
        let confirmed = report.findings.filter { $0.confirmed == true }.count
        let message = "triage: \(before) signature(s) seen → \(report.findings.count) finding(s), \(confirmed) confirmed, in \(ReportSummary.format(seconds)) s"
        note(message)
        report.notes.append(message + " (after the load; not in the metrics)")
        report.notes += triage.saveProblems
        if triage.timedOut {
            report.notes.append("triage reached its time limit (\(ReportSummary.format(options.triage.timeLimitSeconds)) s); findings not reached are reported as seen, shrinks cut short keep what they reached")
        }
        if stopRequested.load(ordering: .relaxed) { report.notes.append("triage was interrupted; findings not reached are reported as seen") }
        report.finishedAt = ISO8601.string(from: Date())
    }

    /// The wall-clock start of the last `run`, for the report's file name.
    public var startedAt: Date { startDate.withLock { $0 } }
}
