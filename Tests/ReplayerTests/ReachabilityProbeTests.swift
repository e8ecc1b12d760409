import Foundation
import StampedeCore
import StampedeEngine
import StampedeTestSupport
import Synchronization
import Testing

@testable import Replayer

#if canImport(Glibc)
import Glibc
#endif

/// A loopback server whose every response is `200 text/event-stream` that never ends: one
/// event every 20 ms (endless) or nothing after the head (silent).
private final class EndlessStreamServer: Sendable {
    private let listener: RawLoopbackListener
    private let connections = Mutex<[Int32]>([])

    var port: UInt16 { listener.port }

    init(silent: Bool) throws {
        listener = try RawLoopbackListener(backlog: 16)
        listener.acceptEach { [self] client in
            connections.withLock { $0.append(client) }
            Self.serve(client, silent: silent)
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
        listener.stop()
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
