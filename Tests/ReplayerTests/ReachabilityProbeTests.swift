import Foundation
import StampedeCore
import StampedeEngine
import Synchronization
import Testing

@testable import Replayer

#if canImport(Glibc)
import Glibc
#endif

/// A loopback server whose every response is `200 text/event-stream` that never ends: one
/// event every 20 ms (endless) or nothing after the head (silent).
private final class EndlessStreamServer: Sendable {
    let port: UInt16
    private let listener: Int32
    private let connections = Mutex<[Int32]>([])

    init(silent: Bool) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in
            while case let client = accept(listener, nil, nil), client >= 0 {
                connections.withLock { $0.append(client) }
                Thread.detachNewThread { Self.serve(client, silent: silent) }
            }
        }
    }

    private static func serve(_ fd: Int32, silent: Bool) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        _ = recv(fd, &buffer, buffer.count, 0)
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
        guard send(fd, head, head.utf8.count, Int32(MSG_NOSIGNAL)) > 0, !silent else { return }
        let event = "data: tick\n\n"
        let chunk = String(event.utf8.count, radix: 16) + "\r\n" + event + "\r\n"
        while send(fd, chunk, chunk.utf8.count, Int32(MSG_NOSIGNAL)) > 0 { usleep(20_000) }
    }

    func stop() {
        Glibc.shutdown(listener, Int32(SHUT_RDWR))
        for fd in connections.withLock({ $0 }) { Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
    }
}

@Suite("The reachability probe: any HTTP status is reachable, the body is never awaited")
struct ReachabilityProbeTests {
    @Test(arguments: [false, true])
    func anEndlessEventStreamIsReachable(silent: Bool) async throws {
        let server = try EndlessStreamServer(silent: silent)
        let engine = try HTTPEngine(configuration: .init(workers: 1))
        defer { engine.shutdown(); server.stop() }
        let base = "http://127.0.0.1:\(server.port)"
        #expect(await ReachabilityProbe.run(engine: engine, baseURL: base, timeoutMs: 1_000).failure == nil)
        // Before the fix: a plain GET waits for the body and times out, which read as "cannot reach".
        let plain = await engine.send(EngineRequest(url: base + "/", timeoutMs: 1_000))
        #expect(plain.failure?.name == "CURLE_OPERATION_TIMEDOUT")
    }

    @Test func aClosedPortIsStillUnreachable() async throws {
        let server = try EndlessStreamServer(silent: true)
        let port = server.port
        server.stop()
        let engine = try HTTPEngine(configuration: .init(workers: 1))
        defer { engine.shutdown() }
        let failure = await ReachabilityProbe.run(engine: engine, baseURL: "http://127.0.0.1:\(port)", timeoutMs: 1_000).failure
        #expect(failure != nil)
    }
}
