internal import CCurl
import Synchronization

/// One worker thread's event loop around its own libcurl multi handle.
///
/// Two loops, chosen by `EngineConfiguration.loop`:
/// - `socketAction` (Linux): epoll waits on the sockets libcurl asked for (socket callback), until
///   libcurl's timer (timer callback), the next scheduled start or an eventfd wakeup; each ready
///   socket goes to `curl_multi_socket_action`, so a round costs O(ready sockets).
/// - `perform`: `curl_multi_perform` → `curl_multi_poll` over every socket.
///
/// Both drain `curl_multi_info_read` into completions. Everything here runs on the worker thread;
/// only the inbox is shared.
final class WorkerLoop {
    let inbox: WorkerInbox
    private let multi: UnsafeMutableRawPointer
    /// A share handle whose connection pool serves `EngineRequest.separateConnections` requests.
    private let separatePool: UnsafeMutableRawPointer
    private let configuration: EngineConfiguration
    private var idle: [EasyHandle] = []
    private var all: [EasyHandle] = []
    private var scheduled = DeadlineHeap<WorkerJob>()
    private var taken: [WorkerJob] = []
    private var active = 0
    /// The most transfers this worker has run at once.
    private var peakActive = 0
    #if os(Linux)
    /// Set for the `socketAction` loop.
    private let poller: SocketPoller?
    #endif

    /// The longest wait when nothing is scheduled; wakeups end it early, so this only bounds how
    /// long a lost wakeup could delay a job.
    private static let idlePollMs: Int32 = 1_000

    init(configuration: EngineConfiguration) throws(EngineError) {
        guard let multi = curl_multi_init() else {
            throw EngineError(call: "curl_multi_init", code: -1, name: "CURLM_OUT_OF_MEMORY", message: "curl_multi_init returned NULL")
        }
        guard let separatePool = stampede_share_connections() else {
            curl_multi_cleanup(multi)
            throw EngineError(call: "curl_share_init", code: -1, name: "CURLSHE_NOMEM", message: "no share handle for a separate connection pool")
        }
        do {
            if configuration.maxConnectionsPerWorker > 0 {
                try Curl.check(stampede_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, configuration.maxConnectionsPerWorker), "curl_multi_setopt(CURLMOPT_MAXCONNECTS)")
            }
            #if os(Linux)
            if configuration.loop == .socketAction {
                let poller = try SocketPoller()
                try poller.attach(to: multi)
                self.poller = poller
                inbox = WorkerInbox(multi: multi, wakeFD: poller.wakeFD)
            } else {
                poller = nil
                inbox = WorkerInbox(multi: multi)
            }
            #else
            inbox = WorkerInbox(multi: multi)
            #endif
        } catch {
            curl_multi_cleanup(multi)
            curl_share_cleanup(separatePool)
            throw error
        }
        self.multi = multi
        self.separatePool = separatePool
        self.configuration = configuration
        taken.reserveCapacity(64)
    }

    /// Runs until `WorkerInbox.stop()`; then fails what is left and releases libcurl resources.
    func run() {
        #if os(Linux)
        if let poller {
            runSocketAction(poller)
        } else {
            runPerform()
        }
        #else
        runPerform()
        #endif
        shutDown()
    }

    /// Takes queued jobs and starts every one that is due; false once a stop was asked.
    private func startDueJobs() -> Bool {
        let stopping = inbox.state.withLock { state in
            swap(&state.jobs, &taken)
            state.sleeping = false
            return state.stopping
        }
        if stopping { return false }
        if !taken.isEmpty || !scheduled.isEmpty {
            let now = ContinuousClock.now
            for job in taken {
                if let at = job.request.scheduledAt, at > now {
                    scheduled.push(job, at: at)
                } else {
                    start(job, now: now)
                }
            }
            taken.removeAll(keepingCapacity: true)
            while let job = scheduled.popDue(now: now) { start(job, now: now) }
        }
        return true
    }

    private func runPerform() {
        var running: Int32 = 0
        while startDueJobs() {
            _ = curl_multi_perform(multi, &running)
            drainFinished()
            if inbox.prepareToSleep() {
                _ = curl_multi_poll(multi, nil, 0, waitTimeoutMs(until: nil), nil)
            }
        }
    }

    #if os(Linux)
    /// One round: start due jobs, run the timers they set, wait, hand ready sockets to libcurl, run
    /// expired timers, drain. Finished transfers are drained only at the end of a round, right
    /// before `startDueJobs` adds their follow-ups (see `drainFinished`).
    private func runSocketAction(_ poller: SocketPoller) {
        let timeoutSocket = stampede_socket_timeout()
        while startDueJobs() {
            var running = Int32(active)
            // Starting a transfer sets a 0 ms timer: run it now, so the request leaves before the wait.
            if poller.takeExpiredTimer(now: .now) {
                _ = curl_multi_socket_action(multi, timeoutSocket, 0, &running)
            }
            // A transfer that already ended (a local failure) must not wait for a socket event.
            let mayBlock = Int(running) >= active && inbox.prepareToSleep()
            let ready = poller.wait(timeoutMs: mayBlock ? waitTimeoutMs(until: poller.timerDeadline) : 0)
            for i in 0..<ready {
                _ = curl_multi_socket_action(multi, poller.fds[i], poller.masks[i], &running)
            }
            if poller.takeExpiredTimer(now: .now) {
                _ = curl_multi_socket_action(multi, timeoutSocket, 0, &running)
            }
            drainFinished()
        }
    }
    #endif

    /// Milliseconds until the earliest of libcurl's timer, the next scheduled start and the idle
    /// bound (rounded up, so a wait never ends just before its deadline).
    private func waitTimeoutMs(until timer: ContinuousClock.Instant?) -> Int32 {
        var next = scheduled.nextInstant
        if let timer, next.map({ timer < $0 }) ?? true { next = timer }
        guard let next else { return Self.idlePollMs }
        let micros = (next - ContinuousClock.now).microseconds
        if micros <= 0 { return 0 }
        return Int32(min(Int64(Self.idlePollMs), (micros + 999) / 1_000))
    }

    private func start(_ job: WorkerJob, now: ContinuousClock.Instant) {
        let handle: EasyHandle
        do throws(EngineError) {
            if let reused = idle.popLast() {
                handle = reused
            } else {
                handle = try EasyHandle(configuration: configuration, separatePool: separatePool)
                all.append(handle)
            }
        } catch {
            job.completion(EngineResponse(failure: error.asTransportFailure))
            return
        }
        do throws(EngineError) {
            try handle.configure(for: job, now: now)
            try Curl.check(curl_multi_add_handle(multi, handle.curl), "curl_multi_add_handle")
            active += 1
            if active > peakActive { growConnectionCache() }
        } catch {
            handle.job = nil
            idle.append(handle)
            job.completion(EngineResponse(failure: error.asTransportFailure))
        }
    }

    /// Removes finished transfers from the multi and runs their completions (which may queue
    /// follow-up jobs).
    ///
    /// Callers start the queued follow-ups (`startDueJobs`) before libcurl runs again: libcurl's
    /// default connection cache holds 4 × the handles added *now*, so a transfer that finished
    /// while its siblings were drained but not yet re-added closed idle keep-alive connections,
    /// and the follow-ups opened new ones (`connectionsAreReused`, #18). `growConnectionCache`
    /// guards the same cap against pauses in the load (think time).
    private func drainFinished() {
        var left: Int32 = 0
        var now: ContinuousClock.Instant?
        while let message = curl_multi_info_read(multi, &left) {
            guard stampede_msg_is_done(message) != 0, let curl = message.pointee.easy_handle else { continue }
            let result = stampede_msg_result(message)
            // `message` is invalid after remove_handle; everything needed was read above.
            var owner: UnsafeMutableRawPointer?
            _ = stampede_easy_getinfo_ptr(curl, CURLINFO_PRIVATE, &owner)
            _ = curl_multi_remove_handle(multi, curl)
            guard let owner else { continue }
            let handle = Unmanaged<EasyHandle>.fromOpaque(owner).takeUnretainedValue()
            active -= 1
            let finishedAt = now ?? ContinuousClock.now
            now = finishedAt
            let finished = handle.finish(result: result, now: finishedAt)
            idle.append(handle)
            if let (job, response) = finished { job.completion(response) }
        }
    }

    /// A new high of transfers at once: unless `maxConnectionsPerWorker` fixes the cache size, keep
    /// 4 × that high in libcurl's connection cache. libcurl's default is 4 × the transfers running
    /// *now*, which shrinks whenever the load pauses (think time, the gap between a response and
    /// its client's next request) and then closes the idle keep-alive connections the next burst
    /// needs; 4 × the high is never smaller, and still leaves room for several origins.
    private func growConnectionCache() {
        peakActive = active
        guard configuration.maxConnectionsPerWorker <= 0 else { return }
        _ = stampede_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 4 * peakActive)
    }

    /// Fails every running, scheduled and queued job, then frees libcurl resources.
    private func shutDown() {
        let failure = Curl.failure(CURLE_ABORTED_BY_CALLBACK, message: "engine shut down")
        let now = ContinuousClock.now
        for handle in all where handle.job != nil {
            _ = curl_multi_remove_handle(multi, handle.curl)
            if let (job, response) = handle.finish(result: CURLE_ABORTED_BY_CALLBACK, now: now) {
                var response = response
                response.failure = failure
                job.completion(response)
            }
        }
        while let job = scheduled.popFirst() { job.completion(EngineResponse(failure: failure)) }
        let queued = inbox.state.withLock { state in
            state.closed = true
            return state.jobs
        }
        for job in queued { job.completion(EngineResponse(failure: failure)) }
        idle.removeAll()
        all.removeAll()  // EasyHandle.deinit cleans each handle up before the multi goes
        curl_multi_cleanup(multi)
        curl_share_cleanup(separatePool)  // closes the separate pool's connections
    }
}

@available(*, unavailable)
extension WorkerLoop: Sendable {}

extension EngineError {
    /// The transfer failure a setup error turns into when it hits one request.
    var asTransportFailure: TransportFailure {
        TransportFailure(code: code, name: name, message: "\(call): \(message)")
    }
}
