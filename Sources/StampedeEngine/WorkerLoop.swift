internal import CCurl
import Synchronization

/// One worker thread's event loop around its own libcurl multi handle.
///
/// `curl_multi_perform` → drain `curl_multi_info_read` → hand results to completions →
/// `curl_multi_poll` until the next scheduled start, a socket event or a wakeup from `WorkerInbox`.
/// Everything here runs on the worker thread; only the inbox is shared.
final class WorkerLoop {
    let inbox: WorkerInbox
    private let multi: UnsafeMutableRawPointer
    private let configuration: EngineConfiguration
    private var idle: [EasyHandle] = []
    private var all: [EasyHandle] = []
    private var scheduled = DeadlineHeap<WorkerJob>()
    private var taken: [WorkerJob] = []
    private var active = 0

    /// The longest poll when nothing is scheduled; wakeups end it early, so this only bounds how
    /// long a lost wakeup could delay a job.
    private static let idlePollMs: Int32 = 1_000

    init(configuration: EngineConfiguration) throws(EngineError) {
        guard let multi = curl_multi_init() else {
            throw EngineError(call: "curl_multi_init", code: -1, name: "CURLM_OUT_OF_MEMORY", message: "curl_multi_init returned NULL")
        }
        if configuration.maxConnectionsPerWorker > 0 {
            do {
                try Curl.check(stampede_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, configuration.maxConnectionsPerWorker), "curl_multi_setopt(CURLMOPT_MAXCONNECTS)")
            } catch {
                curl_multi_cleanup(multi)
                throw error
            }
        }
        self.multi = multi
        self.configuration = configuration
        inbox = WorkerInbox(multi: multi)
        taken.reserveCapacity(64)
    }

    /// Runs until `WorkerInbox.stop()`; then fails what is left and releases libcurl resources.
    func run() {
        var running: Int32 = 0
        while true {
            let stopping = inbox.state.withLock { state in
                swap(&state.jobs, &taken)
                state.sleeping = false
                return state.stopping
            }
            if stopping { break }

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

            _ = curl_multi_perform(multi, &running)
            drainFinished()

            let sleep = inbox.state.withLock { state in
                guard state.jobs.isEmpty, !state.stopping else { return false }
                state.sleeping = true
                return true
            }
            if sleep {
                _ = curl_multi_poll(multi, nil, 0, pollTimeoutMs(), nil)
            }
        }
        shutDown()
    }

    private func pollTimeoutMs() -> Int32 {
        guard let next = scheduled.nextInstant else { return Self.idlePollMs }
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
                handle = try EasyHandle(configuration: configuration)
                all.append(handle)
            }
        } catch {
            job.completion(HTTPResponse(failure: error.asTransportFailure))
            return
        }
        do throws(EngineError) {
            try handle.configure(for: job, now: now)
            try Curl.check(curl_multi_add_handle(multi, handle.curl), "curl_multi_add_handle")
            active += 1
        } catch {
            handle.job = nil
            idle.append(handle)
            job.completion(HTTPResponse(failure: error.asTransportFailure))
        }
    }

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
        while let job = scheduled.popFirst() { job.completion(HTTPResponse(failure: failure)) }
        let queued = inbox.state.withLock { state in
            state.closed = true
            return state.jobs
        }
        for job in queued { job.completion(HTTPResponse(failure: failure)) }
        idle.removeAll()
        all.removeAll()  // EasyHandle.deinit cleans each handle up before the multi goes
        curl_multi_cleanup(multi)
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
