internal import CCurl
import Synchronization

/// The thread-safe side of a worker: where other threads drop jobs and wake its wait
/// (`curl_multi_wakeup` for the `perform` loop, an eventfd write for the `socketAction` loop).
final class WorkerInbox: Sendable {
    struct State {
        var jobs: [WorkerJob] = []
        /// The worker is in (or about to enter) its wait and needs a wakeup.
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
    /// same lock before it calls `curl_multi_cleanup` (or closes the eventfd).
    struct MultiPointer: @unchecked Sendable {
        let raw: UnsafeMutableRawPointer
    }

    let state = Mutex(State())
    private let multi: MultiPointer
    /// The socketAction loop's eventfd, written instead of `curl_multi_wakeup`; -1 for none.
    private let wakeFD: Int32

    init(multi: UnsafeMutableRawPointer, wakeFD: Int32 = -1) {
        self.multi = MultiPointer(raw: multi)
        self.wakeFD = wakeFD
    }

    /// Called with the lock held and the worker still open.
    private func wake() {
        #if os(Linux)
        if wakeFD >= 0 {
            stampede_eventfd_signal(wakeFD)
            return
        }
        #endif
        _ = curl_multi_wakeup(multi.raw)
    }

    /// The worker is about to wait: true (and `sleeping` set) when no job is queued and no stop
    /// was asked, so the next `enqueue` wakes it.
    func prepareToSleep() -> Bool {
        state.withLock { state in
            guard state.jobs.isEmpty, !state.stopping else { return false }
            state.sleeping = true
            return true
        }
    }

    /// Queues a job; returns false when the worker is shutting down or gone.
    func enqueue(_ job: WorkerJob) -> Bool {
        state.withLock { state in
            guard !state.closed, !state.stopping else { return false }
            state.jobs.append(job)
            if state.sleeping {
                state.sleeping = false
                wake()
            }
            return true
        }
    }

    /// Asks the worker to stop.
    func stop() {
        state.withLock { state in
            state.stopping = true
            if !state.closed { wake() }
        }
    }
}
