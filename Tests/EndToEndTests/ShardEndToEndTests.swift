import DemoTarget
import Foundation
import Testing

@testable import Replayer

/// Three `stampede replay` shard processes (shard from JOB_COMPLETION_INDEX) against the demo target, then
/// `stampede report merge`: the merge is exact.
@Suite(.serialized) struct ShardEndToEndTests {
    static let shards = 3
    static let clients = 7

    static func decode(_ path: String) throws -> ReplayReport {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(ReplayReport.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Runs the shards at once and returns their report paths, by shard index.
    static func runShards(_ baseURL: String, corpus: String, root: String, startAt: Int) async throws -> [String] {
        let processes = try (0..<shards).map { i in
            try CLIProcess(
                [
                    "replay", "--corpus", corpus, "--base-url", baseURL, "--mode", "both", "--clients", "\(clients)",
                    "--concurrency", "4", "--duration", "4", "--output", "\(root)/out\(i)", "--seed", "42",
                    "--run-id", "e2e-shards", "--sse-window", "1", "--request-timeout", "3", "--no-triage",
                    "--no-regressions", "--no-fail", "--quiet", "--start-at", "\(startAt)",
                ], environment: ["JOB_COMPLETION_INDEX": "\(i)", "STAMPEDE_SHARDS": "\(shards)"])
        }
        for p in processes { try p.start() }
        var paths: [String] = []
        for (i, p) in processes.enumerated() {
            let result = await p.finish(timeout: .seconds(60))
            #expect(result.status == 0, "shard \(i): \(result.stderr)")
            paths.append(try #require(ReplayEndToEndTests.reports(in: "\(root)/out\(i)").first))
        }
        return paths
    }

    @Test func threeShardsMergeExactly() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: true))
        let ws = try ReplayEndToEndTests.workspace()
        let startAt = Int(Date().timeIntervalSince1970) + 4
        let paths: [String]
        do {
            paths = try await Self.runShards(server.baseURL, corpus: ws.corpus, root: ws.root, startAt: startAt)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        let shards = try paths.map(Self.decode)
        let mergedPath = ws.root + "/merged.json"
        let result = try await CLIProcess.run(["report", "merge"] + paths + ["-o", mergedPath])
        #expect(result.status == 0, "\(result.stderr)")
        let merged = try Self.decode(mergedPath)
        let violations = try SchemaValidator(schemaPath: ReplayEndToEndTests.schemaPath).validate(
            try ReplayEndToEndTests.load(mergedPath))
        #expect(violations.isEmpty, "\(violations.prefix(10))")

        // The shards' clients partition the run's, and each shard ran its own.
        let clientSets = shards.map { $0.shard?.clients ?? [] }
        #expect(clientSets.joined().sorted() == Array(0..<Self.clients))
        for (i, s) in shards.enumerated() {
            #expect(s.shard?.index == i && s.shard?.count == Self.shards && s.shard?.runID == "e2e-shards")
            #expect(s.config.concurrency == (i < 1 ? 2 : 1))
        }
        #expect(merged.mergedShards?.map(\.index) == [0, 1, 2])
        // --start-at held every shard until the shared instant.
        for s in shards { #expect(TimelineMerger.epochSecond(s.startedAt) >= startAt, "\(s.startedAt)") }

        try Self.expectSums(merged, shards)
        try Self.expectExactPercentiles(merged, shards)
        try Self.expectExactTimeline(merged, shards)
        Self.expectFindingsMerged(merged, shards)
    }

    static func expectSums(_ merged: ReplayReport, _ shards: [ReplayReport]) throws {
        #expect(merged.totalRequests == shards.reduce(0) { $0 + $1.totalRequests })
        #expect(merged.totalRequests > 0)
        #expect(merged.totalErrors == shards.reduce(0) { $0 + $1.totalErrors })
        let keys = Set(shards.flatMap(\.endpoints.keys))
        #expect(Set(merged.endpoints.keys) == keys)
        for key in keys {
            let parts = shards.compactMap { $0.endpoints[key] }
            let m = try #require(merged.endpoints[key])
            #expect(m.count == parts.reduce(0) { $0 + $1.count }, "\(key)")
            #expect(m.bytesRx == parts.reduce(0) { $0 + $1.bytesRx }, "\(key)")
            var status: [String: Int] = [:]
            for p in parts { status.merge(p.status, uniquingKeysWith: +) }
            #expect(m.status == status, "\(key)")
        }
        var classes: [String: Int] = [:]
        for s in shards { classes.merge(s.failureClasses, uniquingKeysWith: +) }
        #expect(merged.failureClasses == classes)
        // #13's operator yield: mutants summed per operator over the shards.
        let yield = try #require(merged.operatorYield)
        #expect(!yield.isEmpty)
        for row in yield {
            #expect(row.mutants == shards.reduce(0) { $0 + ($1.operatorYield?.first { $0.name == row.name }?.mutants ?? 0) }, "\(row.name)")
        }
        // User flows: every shard's user clients ran them; the merge adds them up.
        let flows = try #require(merged.flows)
        #expect(flows.values.reduce(0) { $0 + $1.requests } == merged.modes["user"]?.requests)
        for (id, flow) in flows {
            #expect(flow.requests == shards.reduce(0) { $0 + ($1.flows?[id]?.requests ?? 0) }, "\(id)")
            #expect(flow.failures == shards.reduce(0) { $0 + ($1.flows?[id]?.failures ?? 0) }, "\(id)")
        }
    }

    /// Merged percentiles equal those of one histogram built from every shard's decoded histograms.
    static func expectExactPercentiles(_ merged: ReplayReport, _ shards: [ReplayReport]) throws {
        var all = LatencyHistogram()
        var perEndpoint: [String: LatencyHistogram] = [:]
        for s in shards {
            let h = try #require(s.histograms)
            for m in h.modes.values { all.merge(try LatencyHistogram(encoded: m)) }
            for (key, e) in h.endpoints {
                perEndpoint[key, default: LatencyHistogram()].merge(try LatencyHistogram(encoded: e.success))
                if let error = e.error { perEndpoint[key, default: LatencyHistogram()].merge(try LatencyHistogram(encoded: error)) }
            }
        }
        #expect(all.count == UInt64(merged.totalRequests))
        let latency = try #require(merged.latencyMs)
        #expect(latency.p50 == all.percentileMilliseconds(50))
        #expect(latency.p99 == all.percentileMilliseconds(99))
        for (key, h) in perEndpoint {
            #expect(merged.endpoints[key]?.latencyMs?.p50 == h.percentileMilliseconds(50), "\(key)")
            #expect(merged.endpoints[key]?.latencyMs?.p99 == h.percentileMilliseconds(99), "\(key)")
        }
    }

    /// Timelines line up by wall-clock second; each merged second's percentiles are those of the sum of the
    /// shards' histograms of that second.
    static func expectExactTimeline(_ merged: ReplayReport, _ shards: [ReplayReport]) throws {
        let base = shards.map { startSecond($0) }.min() ?? 0
        var perSecond: [Int: LatencyHistogram] = [:]
        var requests: [Int: Double] = [:]
        for s in shards {
            let encoded = try #require(s.histograms?.timeline)
            #expect(encoded.count == s.timeline.seconds.count)
            for (i, second) in s.timeline.seconds.enumerated() {
                let at = second + startSecond(s) - base
                requests[at, default: 0] += s.timeline.rps[i]
                guard let text = encoded[i] else { continue }
                let h = try LatencyHistogram(encoded: text)
                #expect(Double(h.count) == s.timeline.rps[i])
                perSecond[at, default: LatencyHistogram()].merge(h)
            }
        }
        let t = merged.timeline
        #expect(t.seconds == requests.keys.sorted())
        #expect(t.rps == t.seconds.map { requests[$0] ?? 0 })
        #expect(t.rps.reduce(0, +) == Double(merged.totalRequests))
        let encoded = try #require(merged.histograms?.timeline)
        #expect(encoded.count == t.seconds.count)
        for (i, second) in t.seconds.enumerated() {
            let h = perSecond[second] ?? LatencyHistogram()
            #expect(t.p50Ms?[i] == h.percentileMilliseconds(50), "second \(second)")
            #expect(t.p99Ms[i] == h.percentileMilliseconds(99), "second \(second)")
            #expect(try encoded[i].map { try LatencyHistogram(encoded: $0).count } ?? 0 == h.count)
        }
        #expect(!merged.notes.contains { $0.contains("highest shard's") })
    }

    private static func startSecond(_ r: ReplayReport) -> Int { TimelineMerger.epochSecond(r.startedAt) }

    static func expectFindingsMerged(_ merged: ReplayReport, _ shards: [ReplayReport]) {
        let signatures = Set(shards.flatMap { $0.findings.map(\.signature) })
        #expect(Set(merged.findings.map(\.signature)) == signatures)
        #expect(merged.findings.count == signatures.count)
        for f in merged.findings {
            let parts = shards.flatMap(\.findings).filter { $0.signature == f.signature }
            #expect(f.hits == parts.reduce(0) { $0 + $1.hits })
            #expect(f.firstSeen == parts.map(\.firstSeen).min())
        }
    }

    @Test func mergeRefusesMismatchedRunsAndRepeatedShards() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        let ws = try ReplayEndToEndTests.workspace()
        let base = [
            "replay", "--corpus", ws.corpus, "--base-url", server.baseURL, "--mode", "user", "--clients", "2",
            "--concurrency", "2", "--duration", "1", "--no-triage", "--no-regressions", "--no-fail", "--quiet",
        ]
        let a = try await CLIProcess.run(base + ["--output", ws.root + "/a", "--seed", "1", "--run-id", "one", "--shard", "0/2"])
        let b = try await CLIProcess.run(base + ["--output", ws.root + "/b", "--seed", "1", "--run-id", "two", "--shard", "1/2"])
        let bad = try await CLIProcess.run(base + ["--output", ws.root + "/c", "--shard", "2/2"])
        let noSeed = try await CLIProcess.run(base + ["--output", ws.root + "/c", "--shard", "1/2"])
        let far = Int(Date().timeIntervalSince1970) + 660
        let tooFar = try await CLIProcess.run(base + ["--output", ws.root + "/c", "--start-at", "\(far)"])
        let stale = try await CLIProcess.run(base + ["--output", ws.root + "/c", "--start-at", "\(far - 1_320)"])
        await server.stop()
        #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
        #expect(bad.status == 2 && bad.stderr.contains("shard index 2"))
        #expect(noSeed.status == 2 && noSeed.stderr.contains("--seed"))
        #expect(tooFar.status == 2 && tooFar.stderr.contains("s away; at most 600 s"), "\(tooFar.stderr)")
        #expect(stale.status == 2 && stale.stderr.contains("s ago; at most 600 s"), "\(stale.stderr)")
        let pa = try #require(ReplayEndToEndTests.reports(in: ws.root + "/a").first)
        let pb = try #require(ReplayEndToEndTests.reports(in: ws.root + "/b").first)
        let mismatch = try await CLIProcess.run(["report", "merge", pa, pb, "-o", ws.root + "/m.json"])
        #expect(mismatch.status == 2)
        #expect(mismatch.stderr.contains("is run two, not one"), "\(mismatch.stderr)")
        #expect(mismatch.stderr.split(separator: "\n").count == 1)
        let twice = try await CLIProcess.run(["report", "merge", pa, pa, "-o", ws.root + "/m.json"])
        #expect(twice.status == 2 && twice.stderr.contains("both shard 0/2"), "\(twice.stderr)")
        #expect(!FileManager.default.fileExists(atPath: ws.root + "/m.json"))
    }

    /// `--start-at` compares this machine's clock with the target's `Date` header: one warning line when more
    /// than a second apart, none when in step.
    @Test(arguments: [(5.0, true), (0.0, false)])
    func startAtWarnsWhenTheTargetClockDisagrees(skew: Double, warns: Bool) async throws {
        let ws = try ReplayEndToEndTests.workspace()
        let server = try SkewedClockServer(skew: skew)
        defer { server.stop() }
        // A start a moment ago is allowed and begins at once.
        let startAt = Int(Date().timeIntervalSince1970)
        let result = try await CLIProcess.run([
            "replay", "--corpus", ws.corpus, "--base-url", server.baseURL, "--mode", "user", "--clients", "1",
            "--concurrency", "1", "--duration", "1", "--no-triage", "--no-regressions", "--no-fail", "--quiet",
            "--output", ws.root + "/out", "--start-at", "\(startAt)",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(server.requests > 1)
        let warnings = result.stderr.split(separator: "\n").filter { $0.contains("Date header") }
        #expect(warnings.count == (warns ? 1 : 0), "\(result.stderr)")
        if warns {
            #expect(warnings.first?.contains("s ahead of this machine's; --start-at waits on the local clock") == true)
            #expect((warnings.first?.count ?? 999) <= 200)
        }
    }
}
