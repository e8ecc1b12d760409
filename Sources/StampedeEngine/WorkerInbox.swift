internal import CCurl
import Synchronization

/// The thread-safe side of a worker: where other threads drop jobs and wake its poll.
final class WorkerInbox: Sendable {
    struct State {
        var jobs: [WorkerJob] = []
        /// The worker is in (or about to enter) `curl_multi_poll` and needs a wakeup.
        var sleeping = false
        var stopping = false
        /// The multi handle is gone: jobs are refused and no wakeup may be sent.
        var closed = false
    }

    /// The multi handle, used from other threads only for `curl_multi_wakeup`.
    ///
    /// `@unchecked Sendable` is safe because libcurl documents `curl_multi_wakeup` as callable from
    /// any thread, it is the only call made through this pointer off the worker thread, and it is
    /// made under `state`'s lock only while `closed` is false; the worker sets `closed` under the
    /// same lock before it calls `curl_multi_cleanup`.
    struct MultiPointer: @unchecked Sendable {
        let raw: UnsafeMutableRawPointer
    }

    let state = Mutex(State())
    private let multi: MultiPointer

    init(multi: UnsafeMutableRawPointer) {
        self.multi = MultiPointer(raw: multi)
    }

    /// Queues a job; returns false when the worker is shutting down or gone.
    func enqueue(_ job: WorkerJob) -> Bool {
        state.withLock { state in
            guard !state.closed, !state.stopping else { return false }
            state.jobs.append(job)
            if state.sleeping {
                state.sleeping = false
                _ = curl_multi_wakeup(multi.raw)
            }
            return true
        }
    }

    /// Asks the worker to stop.
    func stop() {
        state.withLock { state in
            state.stopping = true
            if !state.closed { _ = curl_multi_wakeup(multi.raw) }
        }
    }
}
