import Foundation
import StampedeClient
import StampedeCore
import Synchronization

/// How a run ended, as the report needs it.
struct RunEnding {
    /// The wall-clock start of the run.
    var began: Date
    /// From the start to the end of the stop grace.
    var runtime: Duration
    /// Stopped early (Ctrl-C, SIGTERM, a cancelled task).
    var interrupted: Bool
    /// Requests still in flight after the stop grace (cut, not counted).
    var cutInFlight: Int
}

extension ReplayReport {
    /// The report of a finished run, from its shared context and its clients.
    init(run ctx: RunContext, clients: [VirtualClient], ending: RunEnding) {
        let options = ctx.options
        let totals = ctx.metrics.totals()
        let split = options.clientSplit
        let load = options.load
        let perClient = clients.map(\.requestCount)
        let latency = totals.schedule.report(openModel: options.rate != nil)
        self.init(
            runtimeSeconds: Double(ending.runtime / .milliseconds(1)) / 1000, totalRequests: totals.requests,
            totalErrors: totals.errors, exceptions: totals.exceptions, endpoints: Self.endpoints(totals),
            timeline: Self.timeline(ctx), notes: [], tool: "stampede", version: StampedeVersion.current,
            runID: options.runID, seed: options.seed, mode: load.mode.rawValue,
            startedAt: ISO8601.string(from: ending.began), finishedAt: ISO8601.string(from: Date()),
            interrupted: ending.interrupted, config: ReportConfig(options), maxInFlight: ctx.gauge.maximum,
            clients: ClientsReport(
                user: split.user, monkey: split.monkey, active: perClient.filter { $0 > 0 }.count,
                minRequestsPerClient: perClient.min() ?? 0, maxRequestsPerClient: perClient.max() ?? 0,
                relogins: ctx.relogins.load(ordering: .relaxed)),
            failureClasses: Self.failureClasses(totals), modes: Self.modes(totals, ctx), findings: [],
            sse: SSEReport(
                streams: totals.sse.streams, events: totals.sse.events, streamsWithoutEvents: totals.sse.withoutEvents,
                cutByWindow: totals.sse.cutByWindow, timeToFirstEventMs: totals.sse.timeToFirstEvent.summary()),
            latencyMs: totals.modes.reduce(into: LatencyHistogram()) { $0.merge($1.latency) }.summary(), latency: latency)
        let (findings, dropped) = ctx.findings.all()
        self.findings = findings
        notes = Self.notes(ctx, totals: totals, latency: latency, ending: ending, droppedSignatures: dropped)
        shard = ShardReport(
            index: options.shard.index, count: options.shard.count, runID: options.runID, clients: clients.map(\.index))
        histograms = ReportHistograms(totals: totals)
    }

    /// Failure counts (indexed by `FailureClass.index`) keyed by class name.
    private static func classes(_ counts: [Int]) -> [String: Int] {
        var out: [String: Int] = [:]
        for c in FailureClass.allCases { out[c.rawValue] = counts[c.index] }
        return out
    }

    private static func endpoints(_ totals: MetricsShard) -> [String: EndpointReport] {
        var endpoints: [String: EndpointReport] = [:]
        for (key, acc) in totals.endpoints {
            var status: [String: Int] = [:]
            for (code, n) in acc.status { status[String(code)] = n }
            endpoints[key] = EndpointReport(
                count: acc.count, errors: acc.errors, failures: classes(acc.failures), status: status,
                latencyMs: acc.all.summary(), latencyMsSuccess: acc.success.summary(),
                latencyMsError: acc.error?.summary(), bytesRx: acc.bytesReceived)
        }
        return endpoints
    }

    private static func failureClasses(_ totals: MetricsShard) -> [String: Int] {
        var failureTotals = [Int](repeating: 0, count: FailureClass.allCases.count)
        for m in totals.modes { for i in failureTotals.indices { failureTotals[i] += m.failures[i] } }
        return classes(failureTotals)
    }

    private static func modes(_ totals: MetricsShard, _ ctx: RunContext) -> [String: ModeReport] {
        let split = ctx.options.clientSplit
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
        return modes
    }

    /// The fixed explanations, then one line for each thing about the run a reader should know.
    private static func notes(
        _ ctx: RunContext, totals: MetricsShard, latency: LatencyReport?, ending: RunEnding, droppedSignatures: Int
    ) -> [String] {
        let options = ctx.options
        var notes = [
            "endpoints are keyed by template; transport failures are counted under status 599 and in exceptions",
            "errors = status >= 400 or transport failure (the original's definition); failure_classes excludes expected 4xx to monkey garbage",
            "latency is measured from the send time"
                + (options.rate != nil ? " scheduled by the open model (--rate), so queueing counts" : " (closed model)")
                + "; SSE requests count time to first byte, streams are in sse",
        ]
        if let warning = latency?.behindScheduleWarning { notes.append(warning) }
        if ending.cutInFlight > 0 {
            notes.append("\(ending.cutInFlight) request(s) still in flight \(options.stopGraceMs) ms after the end were cut and not counted")
        }
        let quarantined = ctx.quarantinedMethods
        if !quarantined.isEmpty {
            notes.append("mutants with method(s) \(quarantined.joined(separator: ", ")) were no longer sent after \(RunContext.quarantineAfterTimeouts) timeouts each (each hang holds a permit)")
        }
        let refused = ctx.mutantsRefused.load(ordering: .relaxed)
        if refused > 0 { notes.append("\(refused) mutant(s) were dropped before sending: another origin or an injected header line") }
        if ending.interrupted { notes.append("the run was interrupted before its duration") }
        if droppedSignatures > 0 {
            notes.append("\(droppedSignatures) further failure signature(s) were not kept (limit \(FindingsBook.maxFindings))")
        }
        if totals.endpoints[MetricsShard.overflowEndpoint] != nil {
            notes.append("more than \(MetricsShard.maxEndpoints) endpoint templates per shard: the rest are counted together")
        }
        if ctx.plan.sessions.isEmpty && options.clientSplit.user > 0 {
            notes.append("the corpus has no session for user clients beyond log-in")
        }
        return notes
    }

    /// The per-second series, with a per-kind split for each kind of client that ran.
    private static func timeline(_ ctx: RunContext) -> TimelineReport {
        let points = ctx.metrics.timelinePoints
        let split = ctx.options.clientSplit
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
}

extension ReportConfig {
    /// The settings of a run, as the report shows them (never the password).
    init(_ options: ReplayOptions) {
        let load = options.load
        self.init(
            corpus: options.corpusPath, baseURL: load.baseURL, apiPrefix: load.apiPrefix, mode: load.mode.rawValue,
            clients: load.clients, concurrency: load.concurrency, durationS: load.duration, rate: options.rate,
            monkeyShare: options.monkeyShare, requestTimeoutMs: options.requestTimeoutMs,
            sseWindowS: options.sseWindowSeconds, slowMs: options.slowMs, verifyTLS: load.verifyTLS,
            autoRegister: load.autoRegister, userPrefix: load.userPrefix, userDomain: load.userDomain)
    }
}
