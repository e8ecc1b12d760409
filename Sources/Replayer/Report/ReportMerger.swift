import Foundation

/// A reason reports cannot be merged: one line for `stampede: error: …`.
public struct ReportMergeError: Error, Sendable, CustomStringConvertible {
    /// The one-line reason.
    public let description: String
}

/// Merges the reports of one run's shards into one report, exactly.
///
/// Counts, statuses, failure classes and bytes are summed; latency percentiles are computed from the
/// sum of the shards' HDR histograms (never from their percentiles); timelines are aligned by wall-clock
/// second; findings are merged by signature.
public enum ReportMerger {
    /// The merged report; `names` label the inputs in errors (file paths).
    public static func merge(_ reports: [ReplayReport], names: [String]) throws(ReportMergeError) -> ReplayReport {
        let shards = try check(reports, names: names)
        let ordered = zip(reports, shards).sorted { $0.1.index < $1.1.index }.map(\.0)
        guard var merged = ordered.first else { throw ReportMergeError(description: "report merge: no reports given") }
        let histograms = try ordered.map { r throws(ReportMergeError) in try DecodedHistograms(r) }
        var sum = DecodedHistograms()
        for h in histograms { sum.add(h) }
        for r in ordered.dropFirst() { addCounts(r, into: &merged) }
        merged.endpoints = mergeEndpoints(ordered, sum)
        merged.modes = mergeModes(ordered, sum)
        merged.latencyMs = sum.modes.values.reduce(into: LatencyHistogram()) { $0.merge($1) }.summary()
        merged.findings = mergeFindings(ordered.map(\.findings))
        let yields = ordered.compactMap(\.operatorYield)
        merged.operatorYield = yields.isEmpty ? nil : OperatorYield.merged(yields, findings: merged.findings)
        let timeline = try TimelineMerger.merge(ordered)
        merged.timeline = timeline.timeline
        merged.histograms = sum.encoded
        merged.histograms?.timeline = timeline.histograms
        merged.shard = nil
        merged.mergedShards = shards.sorted { $0.index < $1.index }
        merged.thresholds = nil
        // Scheduled-vs-service latency has no embedded histograms yet: a shard's figures would mislead.
        merged.latency = nil
        merged.notes.append(
            "merged from \(ordered.count) shard reports: percentiles (per second too) come from the summed histograms; "
                + "max_in_flight is the sum of the shards' peaks; no latency section")
        if timeline.histograms == nil {
            merged.notes.append("a shard report has no per-second histograms: per-second percentiles are the highest shard's")
        }
        return merged
    }

    /// Refuses reports of different runs, overlapping shards, or without histograms; returns their shards.
    static func check(_ reports: [ReplayReport], names: [String]) throws(ReportMergeError) -> [ShardReport] {
        guard let first = reports.first else { throw ReportMergeError(description: "report merge: no reports given") }
        var seen: [Int: String] = [:]
        var shards: [ShardReport] = []
        for (report, name) in zip(reports, names) {
            let what = "report merge: \(name)"
            guard report.runID == first.runID else { throw ReportMergeError(description: "\(what) is run \(report.runID), not \(first.runID)") }
            guard report.seed == first.seed else { throw ReportMergeError(description: "\(what) has seed \(report.seed), not \(first.seed)") }
            guard report.config.corpus == first.config.corpus else {
                throw ReportMergeError(description: "\(what) replayed corpus \(report.config.corpus), not \(first.config.corpus)")
            }
            guard let shard = report.shard, report.histograms != nil else {
                throw ReportMergeError(description: "\(what) has no shard or histograms (a merged report, or written before they existed)")
            }
            guard shard.count == first.shard?.count else {
                throw ReportMergeError(description: "\(what) is shard \(shard.index)/\(shard.count), of a different shard count")
            }
            if let other = seen[shard.index] {
                throw ReportMergeError(description: "both shard \(shard.index)/\(shard.count): \(what) and \(other)")
            }
            seen[shard.index] = name
            shards.append(shard)
        }
        return shards
    }

    /// Sums the report-level counters of `r` into `merged`.
    private static func addCounts(_ r: ReplayReport, into merged: inout ReplayReport) {
        merged.runtimeSeconds = max(merged.runtimeSeconds, r.runtimeSeconds)
        merged.totalRequests += r.totalRequests
        merged.totalErrors += r.totalErrors
        merged.exceptions.merge(r.exceptions, uniquingKeysWith: +)
        merged.failureClasses.merge(r.failureClasses, uniquingKeysWith: +)
        if let flows = r.flows { merged.flows = (merged.flows ?? [:]).merging(flows) { $0.adding($1) } }
        if let unresolved = r.unresolved { merged.unresolved = (merged.unresolved ?? [:]).merging(unresolved, uniquingKeysWith: +) }
        merged.startedAt = min(merged.startedAt, r.startedAt)
        merged.finishedAt = max(merged.finishedAt, r.finishedAt)
        merged.interrupted = merged.interrupted || r.interrupted
        merged.maxInFlight += r.maxInFlight
        merged.config.concurrency += r.config.concurrency
        merged.config.rate = merged.config.rate.map { $0 + (r.config.rate ?? 0) }
        merged.clients.active += r.clients.active
        merged.clients.minRequestsPerClient = min(merged.clients.minRequestsPerClient, r.clients.minRequestsPerClient)
        merged.clients.maxRequestsPerClient = max(merged.clients.maxRequestsPerClient, r.clients.maxRequestsPerClient)
        merged.clients.relogins += r.clients.relogins
        merged.sse.streams += r.sse.streams
        merged.sse.events += r.sse.events
        merged.sse.streamsWithoutEvents += r.sse.streamsWithoutEvents
        merged.sse.cutByWindow += r.sse.cutByWindow
        merged.sse.timeToFirstEventMs = nil
        for regression in r.regressions where !merged.regressions.contains(where: { $0.signature == regression.signature }) {
            merged.regressions.append(regression)
        }
        for note in r.notes where !merged.notes.contains(note) { merged.notes.append(note) }
    }

    private static func mergeEndpoints(_ reports: [ReplayReport], _ sum: DecodedHistograms) -> [String: EndpointReport] {
        var out = reports.reduce(into: [String: EndpointReport]()) { $0.merge($1.endpoints) { $0.addingCounts($1) } }
        for (key, h) in sum.endpoints {
            out[key]?.latencyMsSuccess = h.success.summary()
            out[key]?.latencyMsError = h.error.summary()
            var all = h.success
            all.merge(h.error)
            out[key]?.latencyMs = all.summary()
        }
        return out
    }

    private static func mergeModes(_ reports: [ReplayReport], _ sum: DecodedHistograms) -> [String: ModeReport] {
        var out = reports.reduce(into: [String: ModeReport]()) { $0.merge($1.modes) { $0.addingCounts($1) } }
        for (key, h) in sum.modes { out[key]?.latencyMs = h.summary() }
        return out
    }

    /// Findings by signature: hits summed, first seen the earliest, last seen the latest.
    static func mergeFindings(_ lists: [[Finding]]) -> [Finding] {
        var bySignature: [String: Finding] = [:]
        var order: [String] = []
        for finding in lists.joined() {
            guard var m = bySignature[finding.signature] else {
                bySignature[finding.signature] = finding
                order.append(finding.signature)
                continue
            }
            m.hits += finding.hits
            if finding.firstSeen < m.firstSeen {
                m.firstSeen = finding.firstSeen
                m.firstSeenOffset = finding.firstSeenOffset
                m.example = finding.example
            }
            m.lastSeen = max(m.lastSeen, finding.lastSeen)
            bySignature[finding.signature] = m
        }
        return order.compactMap { bySignature[$0] }
    }
}

/// A report's histograms decoded, or the sum of several.
struct DecodedHistograms {
    var endpoints: [String: (success: LatencyHistogram, error: LatencyHistogram)] = [:]
    var modes: [String: LatencyHistogram] = [:]

    init() {}

    init(_ report: ReplayReport) throws(ReportMergeError) {
        guard let h = report.histograms, h.encoding == ReportHistograms.encodingName else {
            throw ReportMergeError(description: "report merge: run \(report.runID) has no histograms in a known encoding")
        }
        do {
            for (key, e) in h.endpoints {
                endpoints[key] = (try LatencyHistogram(encoded: e.success), try e.error.map { try LatencyHistogram(encoded: $0) } ?? LatencyHistogram())
            }
            for (key, m) in h.modes { modes[key] = try LatencyHistogram(encoded: m) }
        } catch {
            throw ReportMergeError(description: "report merge: shard \(report.shard?.index ?? 0): \(error)")
        }
    }

    mutating func add(_ other: DecodedHistograms) {
        for (key, e) in other.endpoints {
            var m = endpoints[key] ?? (LatencyHistogram(), LatencyHistogram())
            m.success.merge(e.success)
            m.error.merge(e.error)
            endpoints[key] = m
        }
        for (key, h) in other.modes { modes[key, default: LatencyHistogram()].merge(h) }
    }

    var encoded: ReportHistograms {
        ReportHistograms(
            endpoints: endpoints.mapValues { EndpointHistograms(success: $0.success.encoded, error: $0.error.count > 0 ? $0.error.encoded : nil) },
            modes: modes.mapValues(\.encoded))
    }
}

extension EndpointReport {
    /// The sum of two shards' counts of the same endpoint (latencies stay this one's: the merger sets them).
    fileprivate func addingCounts(_ e: EndpointReport) -> EndpointReport {
        var m = self
        m.count += e.count
        m.errors += e.errors
        m.failures.merge(e.failures, uniquingKeysWith: +)
        m.status.merge(e.status, uniquingKeysWith: +)
        m.bytesRx += e.bytesRx
        return m
    }
}

extension ModeReport {
    /// The sum of two shards' counts of the same client kind (latency stays this one's: the merger sets it).
    fileprivate func addingCounts(_ m: ModeReport) -> ModeReport {
        var o = self
        // Every shard reports the run's global client split; keep it, do not add it up.
        o.requests += m.requests
        o.errors += m.errors
        o.failures += m.failures
        o.failureClasses.merge(m.failureClasses, uniquingKeysWith: +)
        o.statusClasses.merge(m.statusClasses, uniquingKeysWith: +)
        o.iterations += m.iterations
        return o
    }
}
