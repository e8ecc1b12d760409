import Foundation
import StampedeCore
import Testing

@testable import StampedeCore

/// The crash corpus on disk: save without duplicates, minimize, merge.
@Suite struct CrashStoreTests {
    static func scratch() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stampede-crashes-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        return root
    }

    static func record(
        _ signature: String, endpoint: String = "GET /api/v1/scripts/{id}", failure: String = "500", path: String,
        hits: Int, first: String, last: String
    ) -> Session {
        let login = Step(
            request: RequestTemplate(method: "POST", path: "/api/v1/auth/login", body: BodyTemplate(text: "u={{vu.username}}")),
            role: .login)
        let failing = Step(request: RequestTemplate(method: "GET", path: path), endpoint: endpoint)
        return Session(
            id: "crash-" + signature, steps: [login, failing],
            crash: CrashInfo(
                signature: signature, failure: failure, failureClass: "server_error", endpoint: endpoint,
                mutations: ["path.overlong-segment(segment 4)"], seed: 7, parentSession: "demo-scripts", parentStep: 4,
                minimized: true, firstSeen: first, lastSeen: last, hits: hits, reproduceRate: 1,
                curl: "curl -sS -i http://127.0.0.1" + path))
    }

    @Test func savingASignatureAgainUpdatesItsOneFile() throws {
        let dir = try Self.scratch() + "/crashes"
        let store = CrashStore(directory: dir)
        let long = "/api/v1/scripts/" + String(repeating: "a", count: 300)
        let short = "/api/v1/scripts/" + String(repeating: "a", count: 65)
        let a = try store.save(Self.record("00000000000000aa", path: long, hits: 3, first: "2026-01-02T00:00:00Z", last: "2026-01-02T00:00:05Z"))
        let b = try store.save(Self.record("00000000000000aa", path: short, hits: 4, first: "2026-01-01T00:00:00Z", last: "2026-01-01T00:00:05Z"))
        #expect(a.outcome == .created && b.outcome == .updated && a.path == b.path)
        #expect(CrashStore.corpusFiles(in: dir) == [dir + "/00000000000000aa.corpus"])
        let loaded = try Corpus.load(path: a.path)
        #expect(loaded.damages.isEmpty && loaded.sessions.count == 1)
        let crash = try #require(loaded.sessions.first?.crash)
        #expect(crash.hits == 7)
        #expect(crash.firstSeen == "2026-01-01T00:00:00Z" && crash.lastSeen == "2026-01-02T00:00:05Z")
        #expect(loaded.sessions.first?.steps.last?.request.path == short)
        try store.markSeen(signature: "00000000000000aa", at: "2026-02-01T00:00:00Z")
        #expect(try Corpus.load(path: a.path).sessions.first?.crash?.lastSeen == "2026-02-01T00:00:00Z")
        #expect(try Corpus.load(path: a.path).sessions.first?.crash?.hits == 7)
    }

    /// A `body-schema` record's check survives the file, and an update by a record written before
    /// checks were kept (the smaller request wins, the check stays).
    @Test func aBodyChecksSurvivesSavingAndAnOlderRecordsUpdate() throws {
        let dir = try Self.scratch() + "/crashes"
        let store = CrashStore(directory: dir)
        var checked = Self.record("00000000000000bc", path: "/api/v1/scripts/" + String(repeating: "b", count: 80), hits: 1,
                                  first: "2026-01-01T00:00:00Z", last: "2026-01-01T00:00:01Z")
        let check = BodyCheck(pointer: "/lang_version", schema: #"{"type":["string"]}"#)
        checked.crash?.bodyCheck = check
        let first = try store.save(checked)
        #expect(try Corpus.load(path: first.path).sessions.first?.crash?.bodyCheck == check)
        _ = try store.save(Self.record("00000000000000bc", path: "/api/v1/scripts/b", hits: 1, first: "2026-01-02T00:00:00Z", last: "2026-01-02T00:00:01Z"))
        let updated = try #require(try Corpus.load(path: first.path).sessions.first)
        #expect(updated.steps.last?.request.path == "/api/v1/scripts/b")
        #expect(updated.crash?.bodyCheck == check)
    }

    @Test func minimizeKeepsTheSmallestRecordPerEndpointAndFailure() throws {
        let dir = try Self.scratch() + "/crashes"
        let store = CrashStore(directory: dir)
        try store.save(Self.record("00000000000000a1", path: "/api/v1/scripts/" + String(repeating: "a", count: 90), hits: 2, first: "2026-01-01T00:00:02Z", last: "2026-01-01T00:00:09Z"))
        try store.save(Self.record("00000000000000a2", path: "/api/v1/scripts/" + String(repeating: "b", count: 65), hits: 5, first: "2026-01-01T00:00:01Z", last: "2026-01-01T00:00:03Z"))
        try store.save(Self.record("00000000000000b1", endpoint: "GET /api/v1/notifications", path: "/api/v1/notifications", hits: 1, first: "2026-01-01T00:00:00Z", last: "2026-01-01T00:00:00Z"))
        #expect(FileManager.default.createFile(atPath: dir + "/00000000000000a1.corpus.tmp-1-2", contents: Data([0x1f, 0x8b])))
        let summary = try store.minimize()
        #expect(summary == CrashStore.MinimizeSummary(records: 3, kept: 2, removedFiles: 1))
        #expect(CrashStore.corpusFiles(in: dir) == [dir + "/00000000000000a2.corpus", dir + "/00000000000000b1.corpus"])
        // Each kept record with its reproducer; the dropped record's script and the stale temporary file are gone.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == [
            "00000000000000a2.corpus", "00000000000000a2.sh", "00000000000000b1.corpus", "00000000000000b1.sh",
        ])
        let kept = try #require(try Corpus.load(path: dir + "/00000000000000a2.corpus").sessions.first?.crash)
        #expect(kept.hits == 7)
        #expect(kept.firstSeen == "2026-01-01T00:00:01Z" && kept.lastSeen == "2026-01-01T00:00:09Z")
        // Idempotent.
        #expect(try store.minimize() == CrashStore.MinimizeSummary(records: 2, kept: 2, removedFiles: 0))
    }

    @Test func mergeCombinesCorporaWithoutDuplicates() throws {
        let a = try Self.scratch(), b = try Self.scratch(), into = try Self.scratch() + "/merged"
        let s1 = Session(id: "s1", steps: [Step(request: RequestTemplate(method: "GET", path: "/api/v1/health/live"))])
        let s2 = Session(id: "s2", steps: [Step(request: RequestTemplate(method: "GET", path: "/api/v1/auth/me"))])
        var s1Renamed = s1
        s1Renamed.id = "other-name"
        var clash = s2
        clash.steps[0].request.path = "/api/v1/notifications"
        try CorpusWriter.writeAtomically(path: a + "/baseline.corpus", header: CorpusHeader(baseURL: "http://a"), sessions: [s1, s2])
        try CorpusWriter.writeAtomically(path: b + "/baseline.corpus", header: CorpusHeader(baseURL: "http://b"), sessions: [s1Renamed, clash])
        try CrashStore(directory: a + "/crashes").save(Self.record("00000000000000c1", path: "/x", hits: 2, first: "2026-01-01T00:00:00Z", last: "2026-01-01T00:00:00Z"))
        try CrashStore(directory: b + "/crashes").save(Self.record("00000000000000c1", path: "/x", hits: 3, first: "2026-01-03T00:00:00Z", last: "2026-01-03T00:00:00Z"))
        try CrashStore(directory: b + "/crashes").save(Self.record("00000000000000c2", path: "/y", hits: 1, first: "2026-01-03T00:00:00Z", last: "2026-01-03T00:00:00Z"))

        let summary = try CorpusMerger.merge(sources: [a, b], into: into)
        #expect(summary.crashesCreated == 2 && summary.crashesUpdated == 1)
        #expect(summary.sessionsAdded == 3 && summary.sessionsSkipped == 1)
        let baseline = try Corpus.load(path: into + "/baseline.corpus").sessions
        #expect(baseline.map(\.id) == ["s1", "s2", "s2-2"])
        let crashes = CrashStore(directory: into + "/crashes").load().records
        #expect(crashes.count == 2)
        #expect(crashes.first { $0.session.crash?.signature == "00000000000000c1" }?.session.crash?.hits == 5)

        // Merging the same baseline again adds nothing.
        let again = try CorpusMerger.merge(sources: [a + "/baseline.corpus"], into: into)
        #expect(again.sessionsAdded == 0 && again.sessionsSkipped == 2)

        // #17: merging the same sources again counts their hits once.
        let twice = try CorpusMerger.merge(sources: [a, b, b + "/crashes"], into: into)
        #expect(twice.crashesCreated == 0)
        let after = CrashStore(directory: into + "/crashes").load().records
        #expect(after.first { $0.session.crash?.signature == "00000000000000c1" }?.session.crash?.hits == 5)
        #expect(after.first { $0.session.crash?.signature == "00000000000000c2" }?.session.crash?.hits == 1)
    }

    /// #17: each shard of a run is its own sighting; the same shard's record merged again is not.
    @Test func shardsOfOneRunAddUpAndARepeatedShardDoesNot() throws {
        func shardRecord(_ shard: Int, hits: Int) -> Session {
            var r = Self.record("00000000000000d1", path: "/z", hits: hits, first: "2026-01-05T00:00:00Z", last: "2026-01-05T00:00:01Z")
            r.crash?.sightings = [CrashInfo.sightingKey(signature: "00000000000000d1", runID: "run1", shard: shard): hits]
            return r
        }
        let shards = try (0..<3).map { i in
            let dir = try Self.scratch()
            try CrashStore(directory: dir + "/crashes").save(shardRecord(i, hits: 10 + i))
            return dir
        }
        let into = try Self.scratch() + "/merged"
        _ = try CorpusMerger.merge(sources: shards + [shards[1]], into: into)
        _ = try CorpusMerger.merge(sources: [shards[2]], into: into)
        let crash = try #require(CrashStore(directory: into + "/crashes").load().records.first?.session.crash)
        #expect(crash.hits == 10 + 11 + 12)
        #expect(crash.sightings?.count == 3)
        // Sightings survive the file format.
        let reread = try #require(try Corpus.load(path: into + "/crashes/00000000000000d1.corpus").sessions.first?.crash)
        #expect(reread.sightings == crash.sightings)
    }
}
