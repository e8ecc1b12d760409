import Foundation
import StampedeCore
import Testing

/// #14: `mutate` samples a huge corpus by decoding only the sessions its reservoir admits.
@Suite struct SessionSampleTests {
    @Test func aSampleDecodesOnlyWhatItAdmitsAndKeepsTheSameSessions() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/big.corpus"
        let sessions = (0..<2_000).map { randomSession(seed: 11, index: $0) }
        try CorpusWriter.writeAtomically(path: path, header: CorpusHeader(baseURL: "http://127.0.0.1:1"), sessions: sessions)

        // The reference: every session decoded and offered.
        var whole = SessionReservoir(capacity: 16, seed: 5)
        try CorpusReader(path: path).read { if case .session(let s) = $0 { whole.offer(s) } }

        var lazy = SessionReservoir(capacity: 16, seed: 5)
        let scan = try lazy.sample(CorpusReader(path: path))
        // The same pass spelled out, counting the sessions that reach `body` (the ones decoded).
        var counting = SessionReservoir(capacity: 16, seed: 5)
        var slot: Int?
        var decoded = 0
        try CorpusReader(path: path).read(admitting: {
            slot = counting.admit()
            return slot != nil
        }) { record in
            guard case .session(let s) = record, let slot else { return }
            decoded += 1
            counting.fill(slot, with: s)
        }
        #expect(counting.sample.map(\.index) == lazy.sample.map(\.index))
        #expect(lazy.sample.map(\.index) == whole.sample.map(\.index))
        #expect(lazy.sample.map(\.session) == whole.sample.map(\.session))
        #expect(lazy.sample.allSatisfy { sessions[$0.index] == $0.session })
        // Algorithm R admits about k·(1 + ln(n/k)) ≈ 93 of 2,000 here; every other line stays unread.
        #expect(decoded >= 16 && decoded < 200, "\(decoded) sessions decoded")
        #expect(scan.sessionCount == 2_000)
        #expect(scan.damages.isEmpty)
    }

    @Test func aCorpusNoLargerThanTheSampleIsKeptWholeInOrder() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/small.corpus"
        let sessions = (0..<12).map { randomSession(seed: 3, index: $0) }
        try CorpusWriter.writeAtomically(path: path, header: CorpusHeader(baseURL: "http://127.0.0.1:1"), sessions: sessions)
        var reservoir = SessionReservoir(capacity: 16, seed: 1)
        try reservoir.sample(CorpusReader(path: path))
        #expect(reservoir.sample.map(\.session) == sessions)
        #expect(reservoir.sample.map(\.index) == Array(0..<12))
    }
}
