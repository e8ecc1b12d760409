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
        await server.stop()
        #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
        #expect(bad.status == 2 && bad.stderr.contains("shard index 2"))
        #expect(noSeed.status == 2 && noSeed.stderr.contains("--seed"))
        #expect(tooFar.status == 2 && tooFar.stderr.contains("at most 600 s"), "\(tooFar.stderr)")
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
}
