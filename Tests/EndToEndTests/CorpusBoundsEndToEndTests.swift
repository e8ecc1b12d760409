import Foundation
import StampedeCore
import StampedeHTTP
import Testing

/// #14 resource bounds: a gzip bomb and a huge corpus cost time, never unbounded memory; every
/// failure is one line naming its byte offset.
@Suite(.serialized) struct CorpusBoundsEndToEndTests {
    static func scratch() throws -> String {
        let dir = NSTemporaryDirectory() + "stampede-bounds-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// About 1 MB of gzip members that inflate to a header line and one 1 GiB line.
    static func writeBomb(_ path: String) throws {
        let header = try CorpusWriter.encode(CorpusHeader(baseURL: "http://127.0.0.1:1")) + [0x0A]
        let mebibyte = [UInt8](repeating: 0x61, count: 1 << 20)
        var file = try Gzip.compressMember(header + mebibyte)
        let member = try Gzip.compressMember(mebibyte)
        for _ in 1..<1024 { file += member }
        file += try Gzip.compressMember([0x0A])
        try Data(file).write(to: URL(fileURLWithPath: path))
    }

    @Test(arguments: [["corpus", "show"], ["corpus", "validate"]])
    func aGzipBombIsOneLineInBoundedMemory(command: [String]) async throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/bomb.corpus"
        try Self.writeBomb(path)
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0) < 2 << 20)
        let result = try await CLIProcess.run(command + [path], timeout: .seconds(120))
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        // The offset is the member where the limit was passed (the line spans 1,025 members).
        #expect(result.stderr.contains("oversized record in the gzip member at byte offset "), "\(result.stderr)")
        #expect(result.stderr.contains(": line 2 is 1,073,741,824 bytes"), "\(result.stderr)")
        #expect(result.peakRSSBytes > 0 && result.peakRSSBytes < 200 << 20, "peak RSS \(result.peakRSSBytes)")
    }

    @Test func maxRecordSkipsALongerLineAndReadsTheRest() async throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/c.corpus"
        let long = Session(id: "long", steps: [Step(request: RequestTemplate(method: "GET", path: "/" + String(repeating: "x", count: 4_000)))])
        let short = Session(id: "short", steps: [Step(request: RequestTemplate(method: "GET", path: "/a"))])
        try CorpusWriter.writeAtomically(path: path, header: CorpusHeader(baseURL: nil), sessions: [short, long, short])
        let result = try await CLIProcess.run(["corpus", "validate", "--max-record", "2KiB", path], timeout: .seconds(30))
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("line 3 is 4,"), "\(result.stderr)")
        #expect(result.stdout.contains("2 sessions, DAMAGED"), "\(result.stdout)")
        let bad = try await CLIProcess.run(["corpus", "validate", "--max-record", "lots", path], timeout: .seconds(30))
        #expect(bad.status == 2)
        #expect(bad.stderr.split(separator: "\n").count == 1, "\(bad.stderr)")
    }

    /// `count` one-step sessions, 10,000 per gzip member (about 5 MB for a million).
    static func writeLargeCorpus(_ path: String, count: Int) throws {
        var file = try Gzip.compressMember(try CorpusWriter.encode(CorpusHeader(baseURL: "http://127.0.0.1:1")) + [0x0A])
        let template = try CorpusWriter.encode(
            Session(id: "s0000000", steps: [Step(request: RequestTemplate(method: "POST", path: "/api/items", headers: [HTTPHeader("Content-Type", "application/json")], body: BodyTemplate(text: #"{"n":1}"#, contentType: "application/json")))]))
        let id = Array("s0000000".utf8)
        let offset = try #require((0...(template.count - id.count)).first { Array(template[$0..<($0 + id.count)]) == id }) + 1
        var batch: [UInt8] = []
        for i in 0..<count {
            var line = template
            var n = i
            for k in stride(from: offset + 6, through: offset, by: -1) {
                line[k] = 0x30 + UInt8(n % 10)
                n /= 10
            }
            batch += line
            batch.append(0x0A)
            if (i + 1) % 10_000 == 0 || i == count - 1 {
                file += try Gzip.compressMember(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        try Data(file).write(to: URL(fileURLWithPath: path))
    }

    /// Sessions in the large-corpus test: `STAMPEDE_BIG_CORPUS_SESSIONS`, default 100,000 (a
    /// million takes minutes in a debug build; bench/README.md has the 1M measurement).
    static var bigCorpusSessions: Int {
        ProcessInfo.processInfo.environment["STAMPEDE_BIG_CORPUS_SESSIONS"].flatMap(Int.init) ?? 100_000
    }

    @Test func mutateOnALargeCorpusStaysSmall() async throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/big.corpus"
        try Self.writeLargeCorpus(path, count: Self.bigCorpusSessions)
        let result = try await CLIProcess.run(["mutate", "--corpus", path, "--count", "5", "--seed", "7"], timeout: .seconds(900))
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 5)
        // Parents come from the whole corpus (a seeded sample), not only its first sessions.
        #expect(lines.contains { $0.contains(#""parent_session_index":"#) && !$0.contains(#""parent_session_index":0,"#) })
        #expect(result.peakRSSBytes > 0 && result.peakRSSBytes < 100 << 20, "peak RSS \(result.peakRSSBytes)")
    }

    /// #14 item 9: stdout and stderr into one pipe never meet mid-line.
    @Test func outputAndTheErrorLineNeverInterleave() async throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/c.corpus"
        try Self.writeLargeCorpus(path, count: 3_000)
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes.removeLast(200)  // the last member is cut: one damage line after 2,000+ result lines
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let process = Process()
        process.executableURL = try CLIProcess.binary
        process.arguments = ["corpus", "show", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = await CLIProcess.readToEnd(pipe.fileHandleForReading)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let errors = lines.filter { $0.contains("stampede: error:") }
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("stampede: error: ") == true, "\(errors)")
        #expect(lines.last?.hasPrefix("stampede: error: ") == true)
        #expect(lines.dropLast().allSatisfy { $0.hasPrefix("session s") || $0.hasPrefix("  ") || $0.hasPrefix("#") || $0.hasPrefix("corpus v") })
    }
}
