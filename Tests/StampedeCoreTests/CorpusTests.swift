import Foundation
import PropertyBased
import StampedeCore
import Testing

@Suite("Corpus format v1")
struct CorpusTests {
    @Test func roundTripOfRandomSessions() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        await propertyCheck(count: 60, input: Gen.int(in: 0...Int.max)) { seed in
            let path = dir + "/rt-\(seed).corpus"
            let sessions = (0..<(seed % 7 + 1)).map { randomSession(seed: UInt64(seed), index: $0) }
            do {
                try CorpusWriter.writeAtomically(path: path, header: CorpusHeader(baseURL: "http://127.0.0.1:1"), sessions: sessions)
                let (read, scan) = try readAll(path)
                #expect(read == sessions)
                #expect(scan.damages.isEmpty)
                #expect(scan.header?.format == "stampede-corpus")
            } catch {
                Issue.record("round trip threw \(error)")
            }
        }
    }

    @Test func appendAddsGzipMembersAndKeepsEverything() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/a.corpus"
        let writer = try CorpusWriter(appendingTo: path, header: CorpusHeader(baseURL: nil, name: "a"))
        let first = (0..<3).map { randomSession(seed: 1, index: $0) }
        let second = (3..<5).map { randomSession(seed: 1, index: $0) }
        try writer.append(first)
        // A second writer on the existing file must not write a second header.
        let again = try CorpusWriter(appendingTo: path, header: CorpusHeader(baseURL: "x"))
        try again.append(second)
        let (read, scan) = try readAll(path)
        #expect(read == first + second)
        #expect(scan.members == 3)
        #expect(scan.header?.name == "a")
        // Valid gzip as a whole: zlib inflates all members back to JSON lines.
        let raw = try Gzip.decompress(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        let lines = String(decoding: raw, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 6)
    }

    @Test func truncatedFileKeepsCompleteRecordsAndNamesTheOffset() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/t.corpus"
        let writer = try CorpusWriter(appendingTo: path, header: CorpusHeader(baseURL: nil))
        let sessions = (0..<4).map { randomSession(seed: 7, index: $0) }
        for s in sessions { try writer.append(s) }
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let sizeBeforeLast = bytes.count - (try Gzip.compressMember(Array(try CorpusWriter.encode(sessions[3])) + [0x0A])).count
        // Cut inside the last member's deflate data: its record is incomplete and lost.
        let full = bytes
        bytes.removeLast((bytes.count - sizeBeforeLast) / 2)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let (read, scan) = try readAll(path)
        #expect(read == Array(sessions.prefix(3)))
        // Cut only the gzip trailer: the record itself is complete and is still returned.
        try Data(full.dropLast(5)).write(to: URL(fileURLWithPath: path))
        let (readAllButTrailer, trailerScan) = try readAll(path)
        #expect(readAllButTrailer == sessions)
        #expect(trailerScan.damages.map(\.kind) == [.truncated])
        let damage = try #require(scan.damages.first)
        #expect(scan.damages.count == 1)
        #expect(damage.kind == .truncated)
        #expect(damage.byteOffset == sizeBeforeLast)
        #expect(damage.description.contains("byte offset \(sizeBeforeLast)"))
    }

    @Test func corruptedByteLosesOnlyItsMember() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/c.corpus"
        let writer = try CorpusWriter(appendingTo: path, header: CorpusHeader(baseURL: nil))
        let sessions = (0..<5).map { randomSession(seed: 9, index: $0) }
        var memberStarts: [Int] = []
        for s in sessions {
            memberStarts.append(Int(try FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64 ?? 0))
            try writer.append(s)
        }
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        // Flip a byte in the middle of session 2's member.
        let target = (memberStarts[2] + memberStarts[3]) / 2
        bytes[target] ^= 0x5A
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let (read, scan) = try readAll(path)
        #expect(read == [sessions[0], sessions[1], sessions[3], sessions[4]])
        let damage = try #require(scan.damages.first)
        #expect(damage.kind == .corrupt)
        #expect(damage.byteOffset == memberStarts[2])
    }

    @Test func garbageFileIsReportedNotCrashed() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/g.corpus"
        try Data("this is not gzip at all\n".utf8).write(to: URL(fileURLWithPath: path))
        let (read, scan) = try readAll(path)
        #expect(read.isEmpty)
        #expect(scan.damages.first?.kind == .corrupt)
        #expect(scan.damages.first?.byteOffset == 0)
    }

    @Test func missingFileThrowsClearError() {
        #expect(throws: CorpusError.self) {
            try CorpusReader(path: "/nonexistent/x.corpus").read { _ in }
        }
    }

    @Test func largeCorpusStreamsInBoundedMemory() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/big.corpus"
        // ~1 MiB member of sessions with 64 KiB bodies, written 100 times: ~100 MB of records.
        var session = randomSession(seed: 3, index: 0)
        session.steps[0].request.body = BodyTemplate(text: String(repeating: "x", count: 64 * 1024))
        var line = try CorpusWriter.encode(session)
        line.append(0x0A)
        var member: [UInt8] = []
        for _ in 0..<16 { member += line }
        let compressed = try Gzip.compressMember(member)
        let header = try Gzip.compressMember(try CorpusWriter.encode(CorpusHeader(baseURL: nil)) + [0x0A])
        #expect(FileManager.default.createFile(atPath: path, contents: Data(header)))
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seekToEnd()
        for _ in 0..<100 { handle.write(Data(compressed)) }
        try handle.close()

        let before = try residentBytes()
        var peak = before
        var count = 0
        let scan = try CorpusReader(path: path).read { record in
            if case .session = record {
                count += 1
                if count % 64 == 0 { peak = max(peak, try residentBytes()) }
            }
        }
        #expect(count == 1600)
        #expect(scan.uncompressedBytes > 100_000_000)
        #expect(scan.damages.isEmpty)
        #expect(peak - before < 64 << 20, "resident memory grew by \(peak - before) bytes")
    }
}

/// Current resident set size from /proc/self/statm; throws (failing the test) where it cannot be read,
/// so the memory bound is never checked against a constant 0.
func residentBytes() throws -> Int {
    struct Unreadable: Error, CustomStringConvertible {
        var description: String { "cannot read the resident set size from /proc/self/statm" }
    }
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { throw Unreadable() }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]), pages > 0 else { throw Unreadable() }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}
