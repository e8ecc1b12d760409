import Foundation
import StampedeCore
import StampedeHTTP
import Testing

/// Hostile corpora through the real binary: one line on stderr naming session, step and field.
@Suite struct HostileCorpusEndToEndTests {
    /// A corpus with one sound session and one whose path names another host.
    private func hostileCorpus() throws -> (dir: String, path: String) {
        let dir = NSTemporaryDirectory() + "stampede-hostile-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/baseline.corpus"
        let sound = Session(id: "sound", steps: [Step(request: RequestTemplate(method: "GET", path: "/api/health"))])
        let escape = Session(id: "escape", steps: [
            Step(request: RequestTemplate(method: "GET", path: "/api/health")),
            Step(request: RequestTemplate(method: "GET", path: "@127.0.0.2:18901/x", headers: [HTTPHeader("X-A", "a\r\nInjected: 1")])),
        ])
        try CorpusWriter(appendingTo: path, header: CorpusHeader(baseURL: "http://127.0.0.1:18901")).append([sound, escape])
        return (dir, path)
    }

    @Test func validateNamesSessionStepAndField() async throws {
        let corpus = try hostileCorpus()
        defer { try? FileManager.default.removeItem(atPath: corpus.dir) }
        let result = try await CLIProcess.run(["corpus", "validate", corpus.path])
        #expect(result.status == 1)
        // One error line on stderr; the problems, one per line, on stdout.
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("stampede: error: \(corpus.path): line 3: session escape step 2"), "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.contains { $0.contains("session escape step 2 request.path: must start with \"/\"") })
        #expect(lines.contains { $0.contains("session escape step 2 request.headers[1]: header X-A value contains CR") })
        #expect(result.stdout.contains("1 sessions, DAMAGED"))
    }

    @Test func mutateOnADamagedCorpusFailsWithOneLine() async throws {
        let corpus = try hostileCorpus()
        defer { try? FileManager.default.removeItem(atPath: corpus.dir) }
        let result = try await CLIProcess.run(["mutate", "--corpus", corpus.path, "--count", "3"])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("stampede: error: \(corpus.path): 2 damaged record(s) (see corpus validate), first: line 3: session escape"))
        #expect(result.stdout.isEmpty)
    }

    @Test func aLongErrorIsOneAbbreviatedLine() async throws {
        let missing = "/tmp/" + String(repeating: "x", count: 100_000)
        let result = try await CLIProcess.run(["mutate", "--corpus", missing, "--count", "1"])
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect((lines.first?.count ?? 0) <= 200)
        #expect(result.stderr.contains("…(100,"))
    }
}
