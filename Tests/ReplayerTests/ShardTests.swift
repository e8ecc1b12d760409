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
        #expect(try StartTime.wait(until: now.addingTimeInterval(-600), now: now).get() == 0)
        #expect(throws: ShardError.self) { try StartTime.wait(until: now.addingTimeInterval(-601), now: now).get() }
    }

    @Test func clockSkewCountsOnlyWhatTheDateHeaderCannotExplain() throws {
        let sent = try #require(ClockSkew.httpDate("Sun, 29 Nov 2026 21:50:00 GMT")).addingTimeInterval(0.4)
        let received = sent.addingTimeInterval(0.2)
        // The target stamped 21:50:00.x while the request was out: in step, whatever the fraction.
        #expect(ClockSkew.measure(dateHeader: "Sun, 29 Nov 2026 21:50:00 GMT", sentAt: sent, receivedAt: received) == ClockSkew(seconds: 0))
        #expect(ClockSkew.measure(dateHeader: "Sun, 29 Nov 2026 21:49:59 GMT", sentAt: sent, receivedAt: received)?.warning == nil)
        let ahead = try #require(ClockSkew.measure(dateHeader: "Sun, 29 Nov 2026 21:50:05 GMT", sentAt: sent, receivedAt: received))
        #expect(abs(ahead.seconds - 4.4) < 1e-6)
        #expect(ahead.warning?.contains("4.4 s ahead of this machine's") == true)
        let behind = try #require(ClockSkew.measure(dateHeader: "Sun, 29 Nov 2026 21:49:57 GMT", sentAt: sent, receivedAt: received))
        // It stamped at most 21:49:57.999… while we were at 21:50:00.4 or later.
        #expect(abs(behind.seconds + 2.4) < 1e-6)
        #expect(behind.warning?.contains("2.4 s behind this machine's") == true)
        #expect((behind.warning?.count ?? 999) <= 200)
        for bad in ["", "yesterday", "Sun, 29 Nov 2026 21:50:00 PST", "Sun, 32 Nov 2026 21:50:00 GMT", "Sun, 29 Foo 2026 21:50:00 GMT"] {
            #expect(ClockSkew.measure(dateHeader: bad, sentAt: sent, receivedAt: received) == nil, "\(bad)")
        }
    }
}
