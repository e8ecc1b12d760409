internal import CCurl
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A libcurl multi engine: worker threads that each run many concurrent transfers.
///
/// Submit requests from any thread; each completes exactly once, on a worker thread. A request
/// submitted from inside a completion stays on that worker, so closed-loop clients never hop
/// threads. Connections are kept alive and reused per worker.
///
/// ```swift
/// let engine = try HTTPEngine()
/// let response = await engine.send(EngineRequest(url: "http://127.0.0.1:8080/health"))
/// engine.shutdown()
/// ```
public final class HTTPEngine: Sendable {
    /// The settings the engine runs with (workers at least 1).
    public let configuration: EngineConfiguration
    private let inboxes: [WorkerInbox]
    private let threads: [pthread_t]
    private let nextWorker = Atomic<Int>(0)
    private let isShutDown = Atomic<Bool>(false)
    let requestGuard: RequestGuard

    /// Starts the worker threads.
    ///
    /// - Throws: `EngineError` when libcurl cannot be initialized or a thread cannot start.
    public init(configuration: EngineConfiguration = .init()) throws {
        try CurlGlobal.initialize()
        var configuration = configuration
        configuration.workers = max(1, configuration.workers)
        configuration.bodyPrefixLimit = max(0, configuration.bodyPrefixLimit)
        self.configuration = configuration
        requestGuard = try RequestGuard(allowedOrigin: configuration.allowedOrigin)
        var loops: [WorkerLoop] = []
        for _ in 0..<configuration.workers {
            loops.append(try WorkerLoop(configuration: configuration))
        }
        inboxes = loops.map(\.inbox)
        var threads: [pthread_t] = []
        for loop in loops {
            let context = Unmanaged.passRetained(loop).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { context in
                guard let context else { return nil }
                let loop = Unmanaged<WorkerLoop>.fromOpaque(context).takeRetainedValue()
                loop.run()
                return nil
            }, context)
            guard status == 0 else {
                Unmanaged<WorkerLoop>.fromOpaque(context).release()
                for inbox in inboxes { inbox.stop() }
                for started in threads { pthread_join(started, nil) }
                throw EngineError(call: "pthread_create", code: Int(status), name: "errno \(status)", message: String(cString: strerror(status)))
            }
            threads.append(thread)
        }
        self.threads = threads
    }

    deinit {
        shutdown()
    }

    /// Starts a transfer; `completion` receives its response exactly once.
    ///
    /// `completion` runs on the engine's worker thread; it must be quick and non-blocking. After
    /// `shutdown()` it runs at once on the calling thread with a `CURLE_ABORTED_BY_CALLBACK`
    /// failure ("engine shut down").
    public func submit(_ request: EngineRequest, completion: @escaping @Sendable (EngineResponse) -> Void) {
        if let refusal = requestGuard.refusal(for: request) { return completion(EngineResponse(failure: refusal)) }
        let job = WorkerJob(request: request, completion: completion, submittedAt: .now)
        if !isShutDown.load(ordering: .relaxed), inboxes[workerIndex()].enqueue(job) { return }
        completion(EngineResponse(failure: Curl.failure(CURLE_ABORTED_BY_CALLBACK, message: "engine shut down")))
    }

    /// Sends one request and waits for its response (transport failures are in the response).
    ///
    /// Cancelling the calling task returns at once with a `CURLE_ABORTED_BY_CALLBACK` failure; the
    /// transfer itself ends on the worker at its own timeout, and its response is dropped.
    public func send(_ request: EngineRequest) async -> EngineResponse {
        let waiter = SendWaiter()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                guard waiter.wait(continuation) else { return }
                submit(request) { waiter.resume($0) }
            }
        } onCancel: {
            waiter.resume(EngineResponse(failure: Curl.failure(CURLE_ABORTED_BY_CALLBACK, message: "the task was cancelled")))
        }
    }

    /// Stops and joins the workers; idempotent. Transfers still pending complete with a
    /// `CURLE_ABORTED_BY_CALLBACK` failure. Must not be called from a completion.
    public func shutdown() {
        guard !isShutDown.exchange(true, ordering: .acquiringAndReleasing) else { return }
        for inbox in inboxes { inbox.stop() }
        let me = pthread_self()
        for thread in threads {
            if pthread_equal(thread, me) != 0 {
                pthread_detach(thread)  // joining ourselves would deadlock
            } else {
                pthread_join(thread, nil)
            }
        }
    }

    /// The calling worker's own index (so chained requests stay on one thread), else round robin.
    private func workerIndex() -> Int {
        if threads.count == 1 { return 0 }
        let me = pthread_self()
        for index in threads.indices where pthread_equal(threads[index], me) != 0 {
            return index
        }
        return nextWorker.wrappingAdd(1, ordering: .relaxed).oldValue % threads.count
    }
}

/// One `send`'s continuation, resumed exactly once: by the response or by cancellation, whichever
/// comes first (cancellation may even come before the continuation exists).
private final class SendWaiter: Sendable {
    private enum State {
        case idle
        case waiting(CheckedContinuation<EngineResponse, Never>)
        /// Resumed (or cancelled before waiting, with the response to hand out on `wait`).
        case finished(EngineResponse?)
    }

    private let state = Mutex(State.idle)

    /// Registers `continuation`; false when the send was cancelled first (it is then resumed here).
    func wait(_ continuation: CheckedContinuation<EngineResponse, Never>) -> Bool {
        let early = state.withLock { s -> EngineResponse? in
            if case .finished(let response) = s { return response }
            s = .waiting(continuation)
            return nil
        }
        guard let early else { return true }
        continuation.resume(returning: early)
        return false
    }

    /// Resumes the waiting `send` with `response`, unless it was already resumed.
    func resume(_ response: EngineResponse) {
        let continuation = state.withLock { s -> CheckedContinuation<EngineResponse, Never>? in
            switch s {
            case .idle:
                s = .finished(response)
                return nil
            case .waiting(let continuation):
                s = .finished(nil)
                return continuation
            case .finished:
                return nil
            }
        }
        continuation?.resume(returning: response)
    }
}
