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
    public let options: ReplayOptions
    public let plan: ReplayPlan
    private let renderer: StepRenderer
    private let engine: HTTPEngine
    private let scheduler: DelayScheduler
    private let mutator: Mutator?
    private let stopRequested = Atomic<Bool>(false)
    private let startDate: Mutex<Date> = Mutex(Date())
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
                allowedOrigin: options.load.baseURL))
        let hasSteps = sessions.contains { !$0.steps.isEmpty }
        self.renderer = renderer
        self.engine = http
        self.scheduler = DelayScheduler()
        self.mutator = options.clientSplit.monkey > 0 && hasSteps ? Mutator(sessions: sessions, configuration: MutatorConfiguration(scope: options.monkeyScope)) : nil
    }

    /// Sends one GET to the base URL (2 s timeout); returns the transport failure if the target
    /// cannot be reached. Any HTTP status counts as reachable; the body is not read.
    public func probe(timeoutMs: Int = 2_000) async -> TransportFailure? {
        await ReachabilityProbe.run(engine: engine, baseURL: options.load.baseURL, timeoutMs: timeoutMs)
    }

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
        let split = options.clientSplit
        var clients: [VirtualClient] = []
        // Global client indices: a shard runs its own (index → identity and seed), one process runs all.
        for i in 0..<split.user where options.shard.owns(client: i) {
            clients.append(VirtualClient(kind: .user, index: i, loggedIn: true, context: runContext))
        }
        for m in 0..<split.monkey where options.shard.owns(client: split.user + m) {
            clients.append(
                VirtualClient(kind: .monkey, index: split.user + m, loggedIn: m % 2 == 0, context: runContext))
        }
        for client in clients { client.start() }

        var failures: [FailureClass: Int] = [:]
        var nextTick = start + .seconds(1)
        var interrupted = false
        // The second the in-flight window that started at the last tick belongs to.
        var windowSecond = 0
        while true {
            let now = ContinuousClock.now
            // A cancelled task ends the run like stop(): Task.sleep below would no longer wait.
            if stopRequested.load(ordering: .relaxed) || Task.isCancelled {
                interrupted = true
                break
            }
            if now >= runContext.deadline { break }
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
            }
            let wake = min(nextTick, runContext.deadline, now + .milliseconds(100))
            try? await Task.sleep(until: wake, clock: .continuous)
        }
        runContext.metrics.recordInFlight(second: windowSecond, peak: runContext.gauge.takeWindowPeak())

        // Wind down: no new requests; give the ones in flight a grace period, then cut them.
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

        var report = buildReport(
            runContext, clients: clients, began: began, runtime: end - start, interrupted: interrupted,
            cutInFlight: cut)
        report.regressions = regressionResults.withLock { $0 }
        Self.reportUnresolved(runContext, into: &report, note: note)
        report.monkeyOutOfScope = mutator?.outOfScopeCount
        if options.triage.enabled && !interrupted {
            await triage(&report, runContext, note: note)
        } else if options.triage.enabled && !report.findings.isEmpty {
            report.notes.append("findings were not confirmed or minimized: the run was interrupted")
        }
        runContext.engine.shutdown()
        return report
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

    private func buildReport(
        _ ctx: RunContext, clients: [VirtualClient], began: Date, runtime: Duration, interrupted: Bool,
        cutInFlight: Int
    ) -> ReplayReport {
        let totals = ctx.metrics.totals()
        let points = ctx.metrics.timelinePoints
        func classes(_ counts: [Int]) -> [String: Int] {
            var out: [String: Int] = [:]
            for c in FailureClass.allCases { out[c.rawValue] = counts[c.index] }
            return out
        }
        var endpoints: [String: EndpointReport] = [:]
        for (key, acc) in totals.endpoints {
            var status: [String: Int] = [:]
            for (code, n) in acc.status { status[String(code)] = n }
            endpoints[key] = EndpointReport(
                count: acc.count, errors: acc.errors, failures: classes(acc.failures), status: status,
                latencyMs: acc.all.summary(), latencyMsSuccess: acc.success.summary(),
                latencyMsError: acc.error?.summary(), bytesRx: acc.bytesReceived)
        }
        var failureTotals = [Int](repeating: 0, count: FailureClass.allCases.count)
        for m in totals.modes { for i in failureTotals.indices { failureTotals[i] += m.failures[i] } }
        let split = options.clientSplit
        var modes: [String: ModeReport] = [:]
        for (i, kind) in ClientKind.allCases.enumerated() {
            let m = totals.modes[i]
            let clientsOfKind = kind == .user ? split.user : split.monkey
            guard clientsOfKind > 0 else { continue }
            var statusClasses: [String: Int] = ["transport": m.statusClasses[0]]
            for c in 1...5 { statusClasses["\(c)xx"] = m.statusClasses[c] }
            modes[kind.rawValue] = ModeReport(
                clients: clientsOfKind, requests: m.requests, errors: m.errors, failures: m.hardFailures,
                failureClasses: classes(m.failures), statusClasses: statusClasses, latencyMs: m.latency.summary(),
                iterations: kind == .user
                    ? ctx.sessionsCompleted.load(ordering: .relaxed) : ctx.mutantsSent.load(ordering: .relaxed))
        }
        let perClient = clients.map(\.requestCount)
        let (findings, dropped) = ctx.findings.all()
        var notes = [
            "endpoints are keyed by template; transport failures are counted under status 599 and in exceptions",
            "errors = status >= 400 or transport failure (the original's definition); failure_classes excludes expected 4xx to monkey garbage",
            "latency is measured from the send time"
                + (options.rate != nil ? " scheduled by the open model (--rate), so queueing counts" : " (closed model)")
                + "; SSE requests count time to first byte, streams are in sse",
        ]
        let latency = totals.schedule.report(openModel: options.rate != nil)
        if let warning = latency?.behindScheduleWarning { notes.append(warning) }
        if cutInFlight > 0 {
            notes.append("\(cutInFlight) request(s) still in flight \(options.stopGraceMs) ms after the end were cut and not counted")
        }
        let quarantined = ctx.quarantinedMethods
        if !quarantined.isEmpty {
            notes.append("mutants with method(s) \(quarantined.joined(separator: ", ")) were no longer sent after \(RunContext.quarantineAfterTimeouts) timeouts each (each hang holds a permit)")
        }
        let refused = ctx.mutantsRefused.load(ordering: .relaxed)
        if refused > 0 { notes.append("\(refused) mutant(s) were dropped before sending: another origin or an injected header line") }
        if interrupted { notes.append("the run was interrupted before its duration") }
        if dropped > 0 { notes.append("\(dropped) further failure signature(s) were not kept (limit \(FindingsBook.maxFindings))") }
        if totals.endpoints[MetricsShard.overflowEndpoint] != nil {
            notes.append("more than \(MetricsShard.maxEndpoints) endpoint templates per shard: the rest are counted together")
        }
        if plan.sessions.isEmpty && split.user > 0 { notes.append("the corpus has no session for user clients beyond log-in") }
        let runtimeSeconds = Double(runtime / .milliseconds(1)) / 1000
        let load = options.load
        var report = ReplayReport(
            runtimeSeconds: runtimeSeconds, totalRequests: totals.requests, totalErrors: totals.errors,
            exceptions: totals.exceptions, endpoints: endpoints,
            timeline: timeline(points, ctx),
            notes: notes, tool: "stampede", version: StampedeVersion.current, runID: options.runID, seed: options.seed,
            mode: load.mode.rawValue, startedAt: ISO8601.string(from: began), finishedAt: ISO8601.string(from: Date()),
            interrupted: interrupted,
            config: ReportConfig(
                corpus: options.corpusPath, baseURL: load.baseURL, apiPrefix: load.apiPrefix, mode: load.mode.rawValue,
                clients: load.clients, concurrency: load.concurrency, durationS: load.duration, rate: options.rate,
                monkeyShare: options.monkeyShare, requestTimeoutMs: options.requestTimeoutMs,
                sseWindowS: options.sseWindowSeconds, slowMs: options.slowMs, verifyTLS: load.verifyTLS,
                autoRegister: load.autoRegister, userPrefix: load.userPrefix, userDomain: load.userDomain),
            maxInFlight: ctx.gauge.maximum,
            clients: ClientsReport(
                user: split.user, monkey: split.monkey, active: perClient.filter { $0 > 0 }.count,
                minRequestsPerClient: perClient.min() ?? 0, maxRequestsPerClient: perClient.max() ?? 0,
                relogins: ctx.relogins.load(ordering: .relaxed)),
            failureClasses: classes(failureTotals), modes: modes, findings: findings,
            sse: SSEReport(
                streams: totals.sse.streams, events: totals.sse.events, streamsWithoutEvents: totals.sse.withoutEvents,
                cutByWindow: totals.sse.cutByWindow, timeToFirstEventMs: totals.sse.timeToFirstEvent.summary()),
            latencyMs: totals.modes.reduce(into: LatencyHistogram()) { $0.merge($1.latency) }.summary(), latency: latency)
        report.shard = ShardReport(
            index: options.shard.index, count: options.shard.count, runID: options.runID, clients: clients.map(\.index))
        report.histograms = ReportHistograms(totals: totals)
        report.operations = options.spec?.coverage.snapshot()
        return report
    }

    /// The per-second series, with a per-kind split for each kind of client that ran.
    private func timeline(_ points: [TimelinePoint], _ ctx: RunContext) -> TimelineReport {
        let split = options.clientSplit
        var modes: [String: TimelineModeSeries] = [:]
        for kind in ClientKind.allCases where (kind == .user ? split.user : split.monkey) > 0 {
            modes[kind.rawValue] = TimelineModeSeries(
                rps: points.map { Double($0.modeRequests[kind.index]) }, eps: points.map { Double($0.modeErrors[kind.index]) })
        }
        return TimelineReport(
            seconds: points.map(\.second), rps: points.map { Double($0.requests) },
            eps: points.map { Double($0.errors) }, fps: points.map { Double($0.hardFailures) },
            p99Ms: points.map(\.p99Milliseconds), p50Ms: points.map(\.p50Milliseconds),
            p90Ms: points.map(\.p90Milliseconds), inFlight: ctx.metrics.inFlightSeries(count: points.count), modes: modes)
    }

    /// The wall-clock start of the last `run`, for the report's file name.
    public var startedAt: Date { startDate.withLock { $0 } }
}
