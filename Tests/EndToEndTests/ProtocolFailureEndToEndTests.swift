import Foundation
import StampedeCore
import StampedeTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A target that answers every request with the same raw bytes, then closes: what a broken or
/// non-HTTP server sends. Runs on its own thread; `stop()` ends it.
final class RawReplyServer: Sendable {
    private let listener: RawLoopbackListener

    var port: UInt16 { listener.port }

    init(reply: String) throws {
        listener = try RawLoopbackListener(backlog: 128)
        let bytes = Array(reply.utf8)
        listener.acceptEach(concurrently: false) { client in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            _ = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            RawLoopbackListener.write(bytes, to: client)
            close(client)
        }
    }

    func stop() { listener.stop() }
}

/// #14: a reply that is not HTTP, an invalid status line and a status outside 100–599 are
/// `protocol` failures: triaged with a fresh client, recorded as findings, and the run fails.
@Suite(.serialized) struct ProtocolFailureEndToEndTests {
    @Test(arguments: [
        "GARBAGE 42 nonsense\r\n\r\nhello",
        // The server closes after each reply and says so: a client that reused the connection would meet
        // a reset (a transport failure) instead of the broken reply under test.
        "HTTP/1.1 abc OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        "HTTP/1.1 940 Weird\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
    ])
    func aBrokenReplyIsAProtocolFinding(reply: String) async throws {
        let server = try RawReplyServer(reply: reply)
        defer { server.stop() }
        let ws = try ReplayEndToEndTests.workspace()
        defer { try? FileManager.default.removeItem(atPath: ws.root) }
        let result = try await CLIProcess.run(
            ["replay", "--corpus", ws.corpus, "--base-url", "http://127.0.0.1:\(server.port)", "--duration", "2", "--clients", "2",
             "--output", ws.out], timeout: .seconds(60))
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("failures found"), "\(result.stderr)")
        let report = try CorpusGrowthEndToEndTests.latestReport(ws.out)
        let classes = try #require(report[key: "failure_classes"])
        #expect((classes[key: "protocol"]?.doubleValue ?? 0) > 0, "\(classes)")
        #expect(classes[key: "server_error"]?.doubleValue == 0)
        let findings = try #require(report[key: "findings"]?.arrayValue)
        #expect(!findings.isEmpty)
        #expect(findings.allSatisfy { $0[key: "failure_class"]?.stringValue == "protocol" }, "\(findings)")
        #expect(findings.contains { $0[key: "confirmed"]?.boolValue == true }, "\(findings)")
    }
}
