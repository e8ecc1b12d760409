import DemoTarget
import Foundation
import StampedeCore
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
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0)
        try #require(listen(fd, 16) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let port = UInt16(bigEndian: address.sin_port)

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
