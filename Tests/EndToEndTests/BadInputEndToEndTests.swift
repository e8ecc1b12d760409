import DemoTarget
import Foundation
import StampedeCore
import StampedeTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Bad targets and bad corpora: one clear line on stderr, a non-zero exit, never a crash.
@Suite(.serialized) struct BadInputEndToEndTests {
    @Test func tlsHandshakeFailureIsOneLine() async throws {
        // An https:// URL pointed at a plain-HTTP server: the TLS handshake fails.
        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        defer { Task { await server.stop() } }
        let ws = try ReplayEndToEndTests.workspace()
        let url = "https://127.0.0.1:\(server.port)"
        let result = try await CLIProcess.run(
            ["replay", "--corpus", ws.corpus, "--base-url", url, "--duration", "5", "--output", ws.out],
            timeout: .seconds(20))
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("stampede: error: cannot reach \(url): CURLE_SSL_CONNECT_ERROR"), "\(result.stderr)")
    }

    @Test func serverThatNeverAnswersIsCutByTheProbe() async throws {
        // A socket that listens but never accepts: connections complete in the backlog, no reply ever comes.
        let listener = try RawLoopbackListener(backlog: 16)
        defer { listener.stop() }
        let port = listener.port

        let ws = try ReplayEndToEndTests.workspace()
        let began = ContinuousClock.now
        let result = try await CLIProcess.run(
            ["replay", "--corpus", ws.corpus, "--base-url", "http://127.0.0.1:\(port)", "--duration", "30", "--output", ws.out],
            timeout: .seconds(20))
        #expect(result.status == 1)
        #expect(result.stderr.contains("CURLE_OPERATION_TIMEDOUT"), "\(result.stderr)")
        #expect(ContinuousClock.now - began < .seconds(15))
    }

    @Test func truncatedCorpusIsReportedWithItsOffset() async throws {
        let ws = try ReplayEndToEndTests.workspace()
        let path = ws.corpus + "/baseline.corpus"
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes.removeLast(bytes.count / 3)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let result = try await CLIProcess.run(["corpus", "validate", path], timeout: .seconds(20))
        #expect(result.status == 1)
        #expect(result.stderr.contains("truncated at byte offset"), "\(result.stderr)")
    }

    @Test func notACorpusIsAClearError() async throws {
        let ws = try ReplayEndToEndTests.workspace()
        let path = ws.corpus + "/baseline.corpus"
        try Data("{\"hello\": \"world\"}\n".utf8).write(to: URL(fileURLWithPath: path))
        let result = try await CLIProcess.run(
            ["replay", "--corpus", ws.corpus, "--base-url", "http://127.0.0.1:1", "--output", ws.out], timeout: .seconds(20))
        #expect(result.status == 1)
        #expect(result.stderr.contains("corrupt data at byte offset 0"), "\(result.stderr)")
    }

    @Test(arguments: [
        (["--base-url", "localhost:8000"], [String: String](), "--base-url"),
        (["--base-url", "http://127.0.0.1:1"], ["LOAD_DURATION": "abc"], "LOAD_DURATION"),
        (["--base-url", "http://127.0.0.1:1"], ["LOAD_CLIENTS": "0"], "LOAD_CLIENTS"),
        (["--base-url", "http://127.0.0.1:1", "--clients", "0"], [:], "--clients"),
    ])
    func badSettingsNameTheirSource(arguments: [String], environment: [String: String], source: String) async throws {
        let ws = try ReplayEndToEndTests.workspace()
        let result = try await CLIProcess.run(
            ["replay", "--corpus", ws.corpus, "--output", ws.out] + arguments, environment: environment, timeout: .seconds(20))
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("stampede: error: invalid value"), "\(result.stderr)")
        #expect(result.stderr.contains(source))
    }
}
