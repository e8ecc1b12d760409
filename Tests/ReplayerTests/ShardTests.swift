import Foundation
import Testing

@testable import Replayer

@Suite struct ShardTests {
    @Test func parsesFlagAndRejectsBadValues() throws {
        #expect(try Shard.parse("2/3") == Shard(index: 2, count: 3))
        for bad in ["3/3", "-1/3", "1/0", "1", "a/3", "1/3/4", ""] {
            #expect(throws: ShardError.self) { try Shard.parse(bad) }
        }
        #expect(try Shard.parse("0/1") == .single)
    }

    @Test func readsKubernetesAndSlurmEnvironments() throws {
        #expect(try Shard.fromEnvironment([:]) == nil)
        #expect(try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "1", "STAMPEDE_SHARDS": "4"]) == Shard(index: 1, count: 4))
        #expect(throws: ShardError.self) { try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "1"]) }
        #expect(throws: ShardError.self) { try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "4", "STAMPEDE_SHARDS": "4"]) }
        #expect(throws: ShardError.self) { try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "x", "STAMPEDE_SHARDS": "4"]) }
        let slurm = ["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_MIN": "1"]
        #expect(try Shard.fromEnvironment(slurm) == Shard(index: 2, count: 3))
        #expect(try Shard.fromEnvironment(["SLURM_ARRAY_TASK_ID": "0", "STAMPEDE_SHARDS": "2"]) == Shard(index: 0, count: 2))
        #expect(throws: ShardError.self) { try Shard.fromEnvironment(["SLURM_ARRAY_TASK_ID": "0"]) }
    }

    @Test(arguments: [(10, 3), (7, 7), (5, 2), (100, 6), (1, 1), (2, 5)])
    func clientsPartitionTheRunWithoutOverlap(total: Int, count: Int) throws {
        let shards = try (0..<count).map { try Shard(index: $0, count: count) }
        let all = shards.flatMap { $0.clients(of: total) }
        #expect(all.sorted() == Array(0..<total))
        for shard in shards {
            #expect(shard.clients(of: total).allSatisfy { shard.owns(client: $0) })
        }
    }

    @Test func concurrencySplitsWithRemaindersFirstAndNeverZero() throws {
        let shares = try (0..<3).map { try Shard(index: $0, count: 3).share(of: 10) }
        #expect(shares == [4, 3, 3])
        #expect(try (0..<4).map { try Shard(index: $0, count: 4).share(of: 4) } == [1, 1, 1, 1])
        #expect(try (0..<4).map { try Shard(index: $0, count: 4).share(of: 6) } == [2, 2, 1, 1])
        // Fewer permits than shards: each still gets one (a shard cannot run with none).
        #expect(try (0..<3).map { try Shard(index: $0, count: 3).share(of: 2) } == [1, 1, 1])
        #expect(Shard.single.share(of: 64) == 64)
    }

    @Test func rateSplitsEvenlyAndSumsToTheTotal() throws {
        let parts = try (0..<3).map { try Shard(index: $0, count: 3).share(ofRate: 100) }
        #expect(abs(parts.reduce(0, +) - 100) < 1e-9)
        #expect(Set(parts).count == 1)
    }
}

@Suite struct StartTimeTests {
    @Test func parsesRFC3339AndEpoch() throws {
        let epoch = try #require(StartTime.parse("1796075400"))
        #expect(epoch.timeIntervalSince1970 == 1_796_075_400)
        #expect(StartTime.parse("2026-11-29T21:50:00Z")?.timeIntervalSince1970 == 1_795_989_000)
        #expect(StartTime.parse("2026-11-29T22:50:00+01:00")?.timeIntervalSince1970 == 1_795_989_000)
        #expect(StartTime.parse("1796075400.5")?.timeIntervalSince1970 == 1_796_075_400.5)
        #expect(StartTime.parse("tomorrow") == nil)
        #expect(StartTime.parse("-5") == nil)
    }

    @Test func refusesMoreThanTenMinutesAheadAndStartsAtOnceWhenPast() throws {
        let now = Date(timeIntervalSince1970: 1_000_000)
        #expect(try StartTime.wait(until: now.addingTimeInterval(5), now: now).get() == 5)
        #expect(try StartTime.wait(until: now.addingTimeInterval(-3), now: now).get() == 0)
        #expect(try StartTime.wait(until: now.addingTimeInterval(600), now: now).get() == 600)
        #expect(throws: ShardError.self) { try StartTime.wait(until: now.addingTimeInterval(601), now: now).get() }
    }
}
