import Foundation
import Hummingbird
import Logging
import NIOCore
import Recorder
import ServiceLifecycle
import StampedeCore
import StampedeEngine
import StampedeHTTP
import StampedeTestSupport
import Synchronization
import Testing

@Suite("Recording proxy streaming")
struct StreamingProxyTests {
    @Test("an SSE event reaches the client through the proxy before the stream ends, and the stream is recorded")
    func sseIsLive() async throws {
        // The upstream sends one event, then holds the stream open until the test has seen that
        // event arrive at the client: a proxy that buffered the body would never let it through.
        let (gate, openGate) = AsyncStream<Void>.makeStream()
        let upstream = try await Upstream.start(gate: gate)
        let engine = try HTTPEngine(configuration: EngineConfiguration(workers: 2))
        defer { engine.shutdown() }
        let path = temporaryPath("sse.corpus")
        let recorder = try CorpusRecorder(path: path, header: CorpusHeader(baseURL: upstream.baseURL))
        let proxy = try await RecordingProxy.start(target: upstream.baseURL, recorder: recorder, engine: engine)

        let (firstEvent, sawFirst) = AsyncStream<Void>.makeStream()
        let received = Mutex<[UInt8]>([])
        var request = EngineRequest(url: proxy.baseURL + "/stream", headers: [HTTPHeader("Accept", "text/event-stream")], timeoutMs: 20_000)
        request.stream = ResponseStream(
            onHead: { _, _ in },
            onBodyChunk: { bytes in
                let text = received.withLock { all in
                    all += bytes
                    return String(decoding: all, as: UTF8.self)
                }
                if text.contains("event: first") { sawFirst.yield() }
                return true
            })
        async let response = engine.send(request)

        let live = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in firstEvent { return true }
                return false
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(10))  // an upper bound only: the event normally arrives in milliseconds
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        #expect(live, "the first event did not reach the client while the stream was open")
        openGate.yield()
        openGate.finish()
        let final = await response
        #expect(final.status == 200)
        #expect(final.bodyText.contains("event: first") && final.bodyText.contains("event: last"))

        try recorder.flushAll()
        await proxy.stop()
        await upstream.stop()
        let corpus = try Corpus.load(path: path)
        let step = try #require(corpus.sessions.first?.steps.first)
        #expect(step.stream != nil)
        #expect(step.expect?.statusClass == 2)
    }
}

/// A tiny SSE upstream: `GET /stream` sends `first`, waits for the gate, sends `last`, ends.
struct Upstream {
    let server: LoopbackServer

    static func start(gate: AsyncStream<Void>) async throws -> Upstream {
        let router = Router()
        let gateBox = GateBox(gate)
        router.get("stream") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/event-stream"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "event: first\ndata: 1\n\n"))
                    await gateBox.wait()
                    try await writer.write(ByteBuffer(string: "event: last\ndata: 2\n\n"))
                    try await writer.finish(nil)
                })
        }
        return Upstream(server: await LoopbackServer.start(router, label: "test.upstream"))
    }

    var baseURL: String { server.baseURL }

    func stop() async { await server.stop() }
}

/// Lets the single upstream handler wait for the test's signal.
final class GateBox: Sendable {
    private let stream: Mutex<AsyncStream<Void>?>

    init(_ stream: AsyncStream<Void>) { self.stream = Mutex(stream) }

    func wait() async {
        guard let gate = stream.withLock({ $0.take() }) else { return }
        for await _ in gate { return }
    }
}
