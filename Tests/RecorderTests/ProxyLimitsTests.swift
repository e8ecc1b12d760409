import Foundation
import Hummingbird
import Recorder
import StampedeCore
import StampedeEngine
import StampedeTestSupport
import Synchronization
import Testing

/// Hostile clients against the recording proxy: oversized heads and bodies, silent and half-sent
/// requests, more connections than the cap. The proxy runs as the real `stampede record` process
/// where its descriptors are counted (`/proc/PID/fd`), in this process where only its behaviour
/// on the wire is observed.
@Suite("Recording proxy limits", .serialized)
struct ProxyLimitsTests {
    /// A `stampede record` proxy process in front of `upstream`.
    struct ProxyProcess {
        let process: Process
        let port: Int
        var pid: Int32 { process.processIdentifier }

        static func start(upstream: String, extra: [String] = []) async throws -> ProxyProcess {
            let recorder = try await InterruptTests.RecordProcess.start(baseURL: upstream, out: temporaryPath("limits.corpus"), extra: extra)
            let port = try #require(recorder.url.split(separator: ":").last.flatMap { Int($0) })
            return ProxyProcess(process: recorder.process, port: port)
        }

        func stop() async -> Int32 {
            process.interrupt()
            return await InterruptTests.exitStatus(of: process)
        }
    }

    static func upstream() async -> LoopbackServer {
        let router = Router()
        router.get("ping") { _, _ in "pong" }
        return await LoopbackServer.start(router, label: "limits-upstream")
    }

    /// The proxy in this process, with `options`, in front of a fresh ``upstream()``; the caller shuts the engine down.
    static func inProcessProxy(_ options: RecordingProxy.Options) async throws -> (LoopbackServer, HTTPEngine, RecordingProxy) {
        let upstream = await Self.upstream()
        let engine = try HTTPEngine(configuration: EngineConfiguration(workers: 1))
        let recorder = try CorpusRecorder(path: temporaryPath("limits-in-process.corpus"), header: CorpusHeader(baseURL: upstream.baseURL))
        let proxy = try await RecordingProxy.start(target: upstream.baseURL, recorder: recorder, engine: engine, options: options)
        return (upstream, engine, proxy)
    }

    /// Connects `count` clients that each send `bytes` and read the first line of the answer;
    /// they stay open (the caller closes them).
    static func flood(port: Int, count: Int, sending bytes: [UInt8]) async throws -> (sockets: [RawSocket], answers: [String]) {
        try await offPool {
            var sockets: [RawSocket] = []
            var answers: [String] = []
            for _ in 0..<count {
                let socket = try RawSocket(port: port)
                socket.send(bytes)
                answers.append(String(socket.read(until: "\r\n").prefix(40)))
                sockets.append(socket)
            }
            return (sockets, answers)
        }
    }

    /// One ordinary request on a fresh connection; the answer's text.
    static func ping(port: Int, timeout: Int = 20) async throws -> String {
        try await offPool {
            let socket = try RawSocket(port: port, timeout: timeout)
            socket.send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
            defer { socket.close() }
            return socket.read(until: "pong")
        }
    }

    @Test("500 clients that each send a 1 MiB header get 431 and are closed: descriptors return to baseline, memory stays bounded")
    func oversizedHeadsAreClosed() async throws {
        let upstream = await Self.upstream()
        let proxy = try await ProxyProcess.start(upstream: upstream.baseURL)
        let head = Array("GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: ".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20) + Array("\r\n\r\n".utf8)
        // Warm-up: every event loop of the proxy has run once (each holds a few descriptors of its own).
        let warmUp = try await Self.flood(port: proxy.port, count: 32, sending: head)
        for socket in warmUp.sockets { socket.close() }
        #expect(try await Self.ping(port: proxy.port).hasPrefix("HTTP/1.1 200"))
        var baseline = ProcessUsage.descriptors(proxy.pid)
        _ = await ProcessUsage.poll(timeout: .seconds(5)) {
            baseline = ProcessUsage.descriptors(proxy.pid)
            return baseline <= 24
        }
        var residentAfterFlood: [Int] = []
        for _ in 1...3 {
            // The clients keep their sockets open: only the proxy can release its side.
            let (held, answers) = try await Self.flood(port: proxy.port, count: 500, sending: head)
            let answered = answers.filter { !$0.isEmpty }
            #expect(answered.count > 400, "only \(answered.count) of 500 got an answer")
            #expect(answered.allSatisfy { $0.hasPrefix("HTTP/1.1 431 ") }, "\(Set(answered))")
            let released = await ProcessUsage.poll(timeout: .seconds(30)) { ProcessUsage.descriptors(proxy.pid) <= baseline }
            #expect(released, "proxy descriptors: \(ProcessUsage.descriptors(proxy.pid)), baseline \(baseline)")
            residentAfterFlood.append(ProcessUsage.residentMiB(proxy.pid))
            for socket in held { socket.close() }
        }
        // Before the fix each flood added ~100 MiB (the rejected connections' buffers were kept).
        #expect(residentAfterFlood[2] - residentAfterFlood[0] < 40, "RSS MiB after each flood: \(residentAfterFlood)")
        #expect(try await Self.ping(port: proxy.port).hasPrefix("HTTP/1.1 200"))
        #expect(await proxy.stop() == 0)
        await upstream.stop()
    }

    @Test("past --max-connections clients wait until a connection closes, then all are served")
    func connectionCap() async throws {
        let upstream = await Self.upstream()
        let proxy = try await ProxyProcess.start(upstream: upstream.baseURL, extra: ["--max-connections", "8"])
        let baseline = ProcessUsage.descriptors(proxy.pid)
        // The first 8 clients are accepted and stay silent.
        let silent = try await offPool { try (0..<8).map { _ in try RawSocket(port: proxy.port) } }
        let accepted = await ProcessUsage.poll(timeout: .seconds(20)) { ProcessUsage.descriptors(proxy.pid) >= baseline + 8 }
        #expect(accepted)
        // 24 more connect (the kernel's listen backlog takes them) and send a request each.
        let waiting = try await offPool {
            try (0..<24).map { _ in
                let socket = try RawSocket(port: proxy.port, timeout: 30)
                socket.send("GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                return socket
            }
        }
        // Event loops and upstream connections may add a few descriptors; 24 more clients may not.
        let peak = ProcessUsage.descriptors(proxy.pid)
        #expect(peak < baseline + 8 + 10, "proxy descriptors \(peak), baseline \(baseline), cap 8")
        for socket in silent { socket.close() }
        let served = try await offPool { waiting.filter { $0.read(until: "pong").hasPrefix("HTTP/1.1 200") }.count }
        #expect(served == 24)
        for socket in waiting { socket.close() }
        #expect(await proxy.stop() == 0)
        await upstream.stop()
    }

    @Test("silent, half-sent and stalled requests are closed after the idle timeout; a 413 closes the connection")
    func slowClientsAndLargeBodies() async throws {
        let (upstream, engine, proxy) = try await Self.inProcessProxy(.init(maxRequestBody: 1024, idleTimeout: .seconds(1)))
        defer { engine.shutdown() }
        let port = proxy.port
        let outcomes = try await offPool {
            let silent = try RawSocket(port: port, timeout: 20)
            let halfHead = try RawSocket(port: port, timeout: 20)
            halfHead.send("GET /ping HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            let stalledBody = try RawSocket(port: port, timeout: 20)
            stalledBody.send("POST /ping HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789")
            return [("silent", silent), ("half-sent head", halfHead), ("stalled body", stalledBody)].map { name, socket in
                defer { socket.close() }
                let (bytes, closed) = socket.readUntilClosed()
                return (name, closed, String(decoding: bytes, as: UTF8.self))
            }
        }
        for (name, closed, text) in outcomes {
            #expect(closed, "\(name): the proxy did not close the connection")
            #expect(text.isEmpty || text.hasPrefix("HTTP/1.1 "), "\(name): \(text)")
        }

        // A body over the limit: 413, and the connection ends although the client keeps it open.
        let (answer, closed) = try await offPool {
            let large = try RawSocket(port: port, timeout: 20)
            defer { large.close() }
            large.send("POST /ping HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n")
            large.send([UInt8](repeating: 0x41, count: 4096))
            let (bytes, closed) = large.readUntilClosed()
            return (String(decoding: bytes, as: UTF8.self), closed)
        }
        #expect(answer.hasPrefix("HTTP/1.1 413 "), "\(answer)")
        #expect(closed)
        #expect(try await Self.ping(port: port).hasPrefix("HTTP/1.1 200"))
        await proxy.stop()
        await upstream.stop()
    }

    @Test("a body that trickles in (never idle) gets 408 and a close at the body deadline")
    func tricklingBodyMeetsTheBodyDeadline() async throws {
        let (upstream, engine, proxy) = try await Self.inProcessProxy(.init(idleTimeout: .seconds(1), bodyTimeout: .milliseconds(1500)))
        defer { engine.shutdown() }
        let port = proxy.port
        let (answer, closed, sent) = try await offPool {
            let socket = try RawSocket(port: port, timeout: 20)
            defer { socket.close() }
            socket.send("POST /ping HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
            // One byte every 200 ms, well inside the idle timeout, for at most 40 bytes (8 s).
            let count = Atomic<Int>(0)
            let sender = Thread {
                for _ in 0..<40 {
                    guard socket.send("A") else { return }
                    count.add(1, ordering: .relaxed)
                    Thread.sleep(forTimeInterval: 0.2)
                }
            }
            sender.start()
            let (bytes, closed) = socket.readUntilClosed()
            return (String(decoding: bytes, as: UTF8.self), closed, count.load(ordering: .relaxed))
        }
        #expect(answer.hasPrefix("HTTP/1.1 408 "), "\(answer)")
        #expect(closed)
        // The answer came while the client was still sending (about 8 of its 40 bytes), not after it gave up.
        #expect(sent < 40, "\(sent) bytes sent")
        #expect(try await Self.ping(port: port).hasPrefix("HTTP/1.1 200"))
        await proxy.stop()
        await upstream.stop()
    }
}
