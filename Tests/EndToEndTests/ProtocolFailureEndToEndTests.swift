import Foundation
import StampedeCore
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A target that answers every request with the same raw bytes, then closes: what a broken or
/// non-HTTP server sends. Runs on its own thread; `stop()` ends it.
final class RawReplyServer: Sendable {
    let port: UInt16
    private let fd: Int32
    private let stopped = StopFlag()

    private final class StopFlag: Sendable {
        let value = Atomic<Bool>(false)
    }

    init(reply: String) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let fd = fd
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0 && listen(fd, 128) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        let bytes = Array(reply.utf8)
        let stopped = stopped
        Thread {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while !stopped.value.load(ordering: .relaxed) {
                let client = accept(fd, nil, nil)
                if client < 0 { continue }
                _ = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
                _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                close(client)
            }
        }.start()
    }

    func stop() {
        stopped.value.store(true, ordering: .relaxed)
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }
}

/// #14: a reply that is not HTTP, an invalid status line and a status outside 100–599 are
/// `protocol` failures: triaged with a fresh client, recorded as findings, and the run fails.
@Suite(.serialized) struct ProtocolFailureEndToEndTests {
    @Test(arguments: [
        "GARBAGE 42 nonsense\r\n\r\nhello",
        "HTTP/1.1 abc OK\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 940 Weird\r\nContent-Length: 2\r\n\r\nok",
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
