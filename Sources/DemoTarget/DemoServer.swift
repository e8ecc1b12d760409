import Hummingbird
public import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The demo backend: a real Hummingbird HTTP server with the script-execution API under `/api/v1`.
///
/// Start it in-process on an ephemeral port, talk to ``baseURL``, then ``stop()``:
/// ```
/// let server = try await DemoServer.start()
/// defer { Task { await server.stop() } }
/// print(server.baseURL)   // http://127.0.0.1:54321
/// ```
public final class DemoServer: Sendable {
    /// The port the server is bound to.
    public let port: Int
    /// The host the server is bound to.
    public let host: String

    private let serviceGroup: ServiceGroup
    private let runTask: Task<Void, Never>
    private let stopSignal: StopSignal
    private let store: DemoStore

    /// `http://HOST:PORT`, without the API prefix.
    public var baseURL: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "http://\(shownHost):\(port)"
    }

    private init(port: Int, host: String, serviceGroup: ServiceGroup, runTask: Task<Void, Never>, stopSignal: StopSignal, store: DemoStore) {
        self.port = port
        self.host = host
        self.serviceGroup = serviceGroup
        self.runTask = runTask
        self.stopSignal = stopSignal
        self.store = store
    }

    /// Binds and starts serving; returns once the socket is listening.
    ///
    /// - Parameters:
    ///   - options: Address, defects and verbosity.
    ///   - logger: Where server and (with `verbose`) per-request lines go; silent when `nil`.
    /// - Returns: The running server.
    /// - Throws: The bind error when the address cannot be used.
    public static func start(_ options: DemoServerOptions = .init(), logger: Logger? = nil) async throws -> DemoServer {
        let logger = logger ?? Logger(label: "stampede.demo-target", factory: { _ in SwiftLogNoOpLogHandler() })
        let stop = StopSignal()
        let store = DemoStore()
        let api = DemoAPI(
            store: store,
            simulator: ExecutionSimulator(store: store, stop: stop),
            defects: PlantedDefects.Switch(enabled: options.defects, stop: stop, lenient: options.defects && options.lenient),
            stop: stop,
            logger: logger,
            verbose: options.verbose,
            stall: options.stall.map { ($0, ContinuousClock.now) }
        )
        let started = StartupLatch()
        let app = Application(
            responder: api,
            configuration: .init(address: .hostname(options.host, port: options.port)),
            onServerRunning: { channel in started.resolve(.success(channel.localAddress?.port ?? options.port)) },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task {
            do {
                try await group.run()
                started.resolve(.failure(DemoServerError.stoppedBeforeListening))
            } catch {
                started.resolve(.failure(error))
            }
        }
        do {
            let port = try await started.wait()
            return DemoServer(port: port, host: options.host, serviceGroup: group, runTask: task, stopSignal: stop, store: store)
        } catch {
            task.cancel()
            await task.value
            throw error
        }
    }

    /// Stops gracefully: ends SSE streams, the hang defect and running simulations, then the server. Idempotent.
    public func stop() async {
        stopSignal.stop()
        store.finishAllSubscribers()
        await serviceGroup.triggerGracefulShutdown()
        // A client that keeps a request open cannot hold the shutdown forever.
        let watchdog = Task { [runTask] in
            if (try? await Task.sleep(for: .seconds(5))) != nil { runTask.cancel() }
        }
        await runTask.value
        watchdog.cancel()
    }

    /// Long waits currently parked on the stop signal (hangs, keepalive timers, simulated runs).
    var parkedWaits: Int { stopSignal.waiterCount }
}

/// Errors from starting the demo server.
public enum DemoServerError: Error {
    /// The server ended before it reported a listening socket.
    case stoppedBeforeListening
}

/// Hands the bound port (or the startup error) from the server task to `start`.
private final class StartupLatch: Sendable {
    private struct State {
        var result: Result<Int, any Error>?
        var waiter: CheckedContinuation<Int, any Error>?
    }

    private let state = Mutex(State())

    func resolve(_ result: Result<Int, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<Int, any Error>? in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(with: result)
    }

    func wait() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<Int, any Error>? in
                if let result = state.result { return result }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
