import Foundation
import Correlation
import Hummingbird
import HummingbirdCore
import HTTPTypes
public import Logging
import NIOCore
public import StampedeCore
public import StampedeEngine
import ServiceLifecycle
import StampedeHTTP

/// The recording proxy: forwards every request to the target and records the exchange.
///
/// Responses stream through as they arrive (server-sent events reach the client live, large
/// bodies are never held whole): the engine's ``ResponseStream`` hook hands the head and each
/// body chunk to the client's response writer through an `AsyncStream`, while the engine keeps
/// a bounded prefix of the body for correlation. Request bodies are read whole (up to
/// ``Options/maxRequestBody``) because the engine sends bodies from memory.
///
/// ```swift
/// let recorder = try CorpusRecorder(path: "corpora/myapp/baseline.corpus", header: CorpusHeader(baseURL: target))
/// let proxy = try await RecordingProxy.start(target: "http://127.0.0.1:8000", recorder: recorder, engine: engine)
/// // … clients use proxy.baseURL …
/// try recorder.flushAll()
/// await proxy.stop()
/// ```
public final class RecordingProxy: Sendable {
    /// Settings of the proxy.
    public struct Options: Sendable {
        /// The address the proxy listens on (loopback by default).
        public var host: String
        /// 0 picks a free port (see ``RecordingProxy/port``).
        public var port: Int
        /// Larger request bodies get `413` and the connection is closed.
        public var maxRequestBody: Int
        /// Larger request heads (request line and headers) get `431` and the connection is closed.
        public var maxHeaderBytes: Int
        /// Client connections open at once; further clients wait in the listen backlog until one closes.
        public var maxConnections: Int
        /// A connection that sends no part of a request (a whole head, a body chunk) for this long
        /// is closed, as is a keep-alive connection idle this long after its last response.
        public var idleTimeout: Duration
        /// Longest time a request body may take to arrive, however steadily it trickles (a slow-body
        /// client never looks idle); past it the proxy answers `408` and closes the connection.
        public var bodyTimeout: Duration
        /// How often idle sessions are looked for and written.
        public var sweepInterval: Duration
        /// Called (on a background task) with each batch of sessions written after an idle gap.
        public var onSessionsWritten: (@Sendable ([Session]) -> Void)?
        /// Called when writing the corpus fails.
        public var onError: (@Sendable (any Error) -> Void)?

        /// Options with the defaults above.
        public init(
            host: String = "127.0.0.1", port: Int = 0, maxRequestBody: Int = 64 << 20, maxHeaderBytes: Int = 64 << 10,
            maxConnections: Int = 1024, idleTimeout: Duration = .seconds(60), bodyTimeout: Duration = .seconds(120),
            sweepInterval: Duration = .seconds(1),
            onSessionsWritten: (@Sendable ([Session]) -> Void)? = nil, onError: (@Sendable (any Error) -> Void)? = nil
        ) {
            self.host = host
            self.port = port
            self.maxRequestBody = maxRequestBody
            self.maxHeaderBytes = maxHeaderBytes
            self.maxConnections = maxConnections
            self.idleTimeout = idleTimeout
            self.bodyTimeout = bodyTimeout
            self.sweepInterval = sweepInterval
            self.onSessionsWritten = onSessionsWritten
            self.onError = onError
        }
    }

    /// The port the proxy listens on (the one picked when `Options.port` was 0).
    public let port: Int
    /// The address the proxy listens on.
    public let host: String
    /// The base URL requests are forwarded to.
    public let target: String
    private let serviceGroup: ServiceGroup
    private let runTask: Task<Void, Never>
    private let sweepTask: Task<Void, Never>

    /// `http://HOST:PORT` of the proxy.
    public var baseURL: String { "http://\(host):\(port)" }

    private init(port: Int, host: String, target: String, serviceGroup: ServiceGroup, runTask: Task<Void, Never>, sweepTask: Task<Void, Never>) {
        self.port = port
        self.host = host
        self.target = target
        self.serviceGroup = serviceGroup
        self.runTask = runTask
        self.sweepTask = sweepTask
    }

    /// Binds and starts forwarding to `target`; returns once listening.
    /// - Throws: the bind error.
    public static func start(
        target: String, recorder: CorpusRecorder, engine: HTTPEngine, options: Options = .init(), logger: Logger? = nil
    ) async throws -> RecordingProxy {
        var base = target
        while base.hasSuffix("/") { base.removeLast() }
        let logger = logger ?? Logger(label: "stampede.recorder", factory: { _ in SwiftLogNoOpLogHandler() })
        let responder = ProxyResponder(
            target: base, recorder: recorder, engine: engine, maxRequestBody: options.maxRequestBody, bodyTimeout: options.bodyTimeout)
        let started = OneShot<Result<Int, any Error>>()
        let server = HTTPServerBuilder { respond in
            ProxyHTTPChannel(responder: respond, maxHeaderBytes: options.maxHeaderBytes, idleTimeout: options.idleTimeout)
        }
        let app = Application(
            responder: responder,
            server: server,
            configuration: .init(
                address: .hostname(options.host, port: options.port),
                availableConnectionsDelegate: MaximumAvailableConnections(max(1, options.maxConnections), logger: logger)),
            onServerRunning: { channel in started.resolve(.success(channel.localAddress?.port ?? options.port)) },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task {
            do {
                try await group.run()
                started.resolve(.failure(RecorderError.proxyStopped))
            } catch {
                started.resolve(.failure(error))
            }
        }
        let port: Int
        do {
            port = try await started.wait().get()
        } catch {
            task.cancel()
            await task.value
            throw error
        }
        let sweep = Task {
            while (try? await Task.sleep(for: options.sweepInterval)) != nil {
                do {
                    let sessions = try recorder.flushIdle()
                    if !sessions.isEmpty { options.onSessionsWritten?(sessions) }
                } catch {
                    options.onError?(error)
                }
            }
        }
        return RecordingProxy(port: port, host: options.host, target: base, serviceGroup: group, runTask: task, sweepTask: sweep)
    }

    /// Stops listening; open streams get up to 2 s to end. Does not flush the recorder.
    public func stop() async {
        sweepTask.cancel()
        await serviceGroup.triggerGracefulShutdown()
        let watchdog = Task { [runTask] in
            if (try? await Task.sleep(for: .seconds(2))) != nil { runTask.cancel() }
        }
        await runTask.value
        watchdog.cancel()
    }
}

/// Errors of the recorder.
public enum RecorderError: Error, CustomStringConvertible {
    case proxyStopped

    /// One line for people.
    public var description: String {
        switch self {
        case .proxyStopped: "the recording proxy stopped before it was listening"
        }
    }
}

/// Request context that keeps the client's address (the session identity of last resort).
struct ProxyContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// `IP:PORT` of the client's connection.
    let remote: String
    /// `IP` of the client.
    let remoteHost: String

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        if let address = source.channel.remoteAddress, let ip = address.ipAddress {
            remote = "\(ip):\(address.port ?? 0)"
            remoteHost = ip
        } else {
            remote = "unknown"
            remoteHost = "unknown"
        }
    }
}

/// Forwards one request upstream and streams the answer back.
struct ProxyResponder: HTTPResponder {
    typealias Context = ProxyContext

    let target: String
    let recorder: CorpusRecorder
    let engine: HTTPEngine
    let maxRequestBody: Int
    let bodyTimeout: Duration

    /// Not forwarded upstream: hop-by-hop, recomputed by libcurl, or (Accept-Encoding) asking
    /// for a compressed body the recorder could not read.
    static let requestHopHeaders: Set<String> = [
        "host", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "upgrade",
        "content-length", "expect", "accept-encoding", "trailer",
    ]
    /// Not copied to the client: hop-by-hop, or framing Hummingbird sets itself.
    static let responseHopHeaders: Set<String> = ["connection", "keep-alive", "transfer-encoding", "content-length", "trailer", "upgrade"]

    enum Head: Sendable {
        case head(Int, [HTTPHeader])
        case failed(EngineResponse)
    }

    func respond(to request: Request, context: ProxyContext) async throws -> Response {
        let started = CorpusRecorder.nowMs()
        let body: [UInt8]
        switch await Self.readBody(request.body, limit: maxRequestBody, deadline: bodyTimeout) {
        case .bytes(let bytes): body = bytes
        case .tooLarge: return Self.bodyTooLarge()
        case .timedOut: return Self.bodyTimedOut()
        }
        let headers = request.headers.map { HTTPHeader($0.name.rawName, $0.value) }
        let path = request.uri.path
        let query = request.uri.query.map { QueryItem.parse($0[...]) } ?? []
        let method = request.method.rawValue
        let connection = recorder.options.groupAnonymousByHost ? context.remoteHost : context.remote
        var exchange = RecordedExchange(
            connection: connection, startedAtMs: started, endedAtMs: started, method: method, path: path,
            query: query, requestHeaders: headers, requestBody: body, status: 0)
        let ticket = recorder.begin(connection: connection, cookies: exchange.requestCookies)

        let head = OneShot<Head>()
        let aborted = AtomicFlag()
        let (chunks, sink) = AsyncStream<[UInt8]>.makeStream()
        var upstream = EngineRequest(
            method: method, url: target + (request.uri.string.hasPrefix("/") ? request.uri.string : "/" + request.uri.string),
            headers: headers.filter { !Self.requestHopHeaders.contains($0.name.lowercased()) }, body: body)
        upstream.stream = ResponseStream(
            onHead: { status, headers in head.resolve(.head(status, headers)) },
            onBodyChunk: { bytes in
                sink.yield(bytes)
                return !aborted.isSet
            })
        let recorder = self.recorder
        let partial = exchange
        engine.submit(upstream) { response in
            var finished = partial
            finished.endedAtMs = CorpusRecorder.nowMs()
            finished.status = response.status
            finished.responseHeaders = response.headers
            finished.responseBody = response.body
            finished.responseBytes = response.bodyBytes
            recorder.complete(ticket, with: finished)
            head.resolve(response.status > 0 ? .head(response.status, response.headers) : .failed(response))
            sink.finish()
        }

        switch await head.wait() {
        case .failed(let response):
            let reason = response.failure.map { "\($0.name): \($0.message)" } ?? "no response"
            return Response(status: .badGateway, body: .init(byteBuffer: ByteBuffer(string: "stampede recorder: upstream failed: \(reason)\n")))
        case .head(let status, let upstreamHeaders):
            exchange.status = status
            exchange.responseHeaders = upstreamHeaders
            recorder.update(ticket, with: exchange)
            return Self.relay(status: status, headers: upstreamHeaders, chunks: chunks, aborted: aborted)
        }
    }

    enum BodyRead: Sendable {
        case bytes([UInt8])
        case tooLarge
        case timedOut
    }

    /// The whole request body, unless it is over `limit` or still arriving at `deadline`. The reader runs on
    /// a task of its own, so a body that never ends cannot hold the answer: closing the connection ends it.
    static func readBody(_ body: RequestBody, limit: Int, deadline: Duration) async -> BodyRead {
        let result = OneShot<BodyRead>()
        let reader = Task {
            let buffer = try? await body.collect(upTo: limit)
            result.resolve(buffer.map { .bytes(Array($0.readableBytesView)) } ?? .tooLarge)
        }
        let timer = Task {
            try? await Task.sleep(for: deadline)
            result.resolve(.timedOut)
        }
        let read = await result.wait()
        timer.cancel()
        if case .timedOut = read { reader.cancel() }
        return read
    }

    /// `408` with `Connection: close`: the body did not arrive within ``RecordingProxy/Options/bodyTimeout``.
    static func bodyTimedOut() -> Response {
        Response(
            status: .requestTimeout, headers: [.connection: "close"],
            body: .init(byteBuffer: ByteBuffer(string: "request body too slow for the recorder\n")))
    }

    /// `413` with `Connection: close`: the rest of the body is not read (``RejectionCloseHandler`` closes).
    static func bodyTooLarge() -> Response {
        Response(
            status: .contentTooLarge, headers: [.connection: "close"],
            body: .init(byteBuffer: ByteBuffer(string: "request body too large for the recorder\n")))
    }

    /// The client's response: the upstream head (hop-by-hop headers dropped), then the body as it arrives.
    static func relay(status: Int, headers upstreamHeaders: [HTTPHeader], chunks: AsyncStream<[UInt8]>, aborted: AtomicFlag) -> Response {
        var fields = HTTPFields()
        for header in upstreamHeaders where !Self.responseHopHeaders.contains(header.name.lowercased()) {
            if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
        }
        let responseBody = ResponseBody { writer in
            do {
                for await chunk in chunks {
                    try await writer.write(ByteBuffer(bytes: chunk))
                }
                try await writer.finish(nil)
            } catch {
                aborted.set()  // the client went away: stop the upstream transfer too
                throw error
            }
        }
        return Response(status: .init(code: status), headers: fields, body: responseBody)
    }
}
