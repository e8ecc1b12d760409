#if os(Linux)
internal import CCurl
import Glibc

/// The epoll side of a `socketAction` worker: libcurl tells it which sockets to watch (socket
/// callback) and when to call back (timer callback); the worker waits here and hands each ready
/// socket to `curl_multi_socket_action`.
///
/// Used only on its worker's thread, except `wakeFD`, which other threads write through
/// `WorkerInbox` (an eventfd write is thread-safe).
final class SocketPoller {
    /// The most events taken per `epoll_wait`.
    static let batch: Int32 = 256

    let epoll: Int32
    /// An eventfd in the epoll set: `WorkerInbox` writes it to end a wait early.
    let wakeFD: Int32
    /// When libcurl wants `curl_multi_socket_action(CURL_SOCKET_TIMEOUT)` called; nil for never.
    private(set) var timerDeadline: ContinuousClock.Instant?
    /// Ready descriptors and their `CURL_CSELECT_*` masks from the last `wait`.
    let fds: UnsafeMutablePointer<Int32>
    let masks: UnsafeMutablePointer<Int32>

    init() throws(EngineError) {
        let epoll = stampede_epoll_create()
        guard epoll >= 0 else { throw Self.error("epoll_create1") }
        let wakeFD = stampede_eventfd_create()
        guard wakeFD >= 0 else {
            close(epoll)
            throw Self.error("eventfd")
        }
        guard stampede_epoll_add_reader(epoll, wakeFD) == 0 else {
            close(wakeFD)
            close(epoll)
            throw Self.error("epoll_ctl")
        }
        self.epoll = epoll
        self.wakeFD = wakeFD
        fds = .allocate(capacity: Int(Self.batch))
        masks = .allocate(capacity: Int(Self.batch))
    }

    deinit {
        close(wakeFD)
        close(epoll)
        fds.deallocate()
        masks.deallocate()
    }

    /// Registers the callbacks on `multi`; the multi must not outlive this poller.
    func attach(to multi: UnsafeMutableRawPointer) throws(EngineError) {
        let me = Unmanaged.passUnretained(self).toOpaque()
        try Curl.check(stampede_multi_setopt_socket_cb(multi) { _, fd, what, user, _ in
            guard let user else { return -1 }
            return Unmanaged<SocketPoller>.fromOpaque(user)._withUnsafeGuaranteedRef { $0.watch(fd, what: what) }
        }, "curl_multi_setopt(CURLMOPT_SOCKETFUNCTION)")
        try Curl.check(stampede_multi_setopt_ptr(multi, CURLMOPT_SOCKETDATA, me), "curl_multi_setopt(CURLMOPT_SOCKETDATA)")
        try Curl.check(stampede_multi_setopt_timer_cb(multi) { _, timeoutMs, user in
            guard let user else { return -1 }
            Unmanaged<SocketPoller>.fromOpaque(user)._withUnsafeGuaranteedRef { $0.setTimer(timeoutMs) }
            return 0
        }, "curl_multi_setopt(CURLMOPT_TIMERFUNCTION)")
        try Curl.check(stampede_multi_setopt_ptr(multi, CURLMOPT_TIMERDATA, me), "curl_multi_setopt(CURLMOPT_TIMERDATA)")
    }

    /// libcurl's socket callback: watch `fd` for `what` (`CURL_POLL_*`), or forget it.
    private func watch(_ fd: Int32, what: Int32) -> Int32 {
        // -1 makes libcurl fail the transfers on this socket instead of waiting forever.
        stampede_epoll_watch(epoll, fd, what) == 0 ? 0 : -1
    }

    /// libcurl's timer callback: -1 deletes the timer, otherwise it fires in `timeoutMs`.
    private func setTimer(_ timeoutMs: Int) {
        timerDeadline = timeoutMs < 0 ? nil : ContinuousClock.now + .milliseconds(timeoutMs)
    }

    /// True (and the timer cleared) when libcurl's timer has expired at `now`.
    func takeExpiredTimer(now: ContinuousClock.Instant) -> Bool {
        guard let deadline = timerDeadline, deadline <= now else { return false }
        timerDeadline = nil
        return true
    }

    /// Waits for events up to `timeoutMs` (0 polls, -1 would block); returns how many are in
    /// `fds`/`masks` (the wakeup eventfd is drained and left out).
    func wait(timeoutMs: Int32) -> Int {
        let n = Int(stampede_epoll_wait(epoll, fds, masks, Self.batch, timeoutMs))
        guard n > 0 else { return 0 }  // timeout, or EINTR: the caller's loop simply goes round
        var kept = 0
        for i in 0..<n {
            if fds[i] == wakeFD {
                stampede_eventfd_drain(wakeFD)
                continue
            }
            fds[kept] = fds[i]
            masks[kept] = masks[i]
            kept += 1
        }
        return kept
    }

    private static func error(_ call: StaticString) -> EngineError {
        let code = errno
        return EngineError(call: "\(call)", code: Int(code), name: "errno \(code)", message: String(cString: strerror(code)))
    }
}

@available(*, unavailable)
extension SocketPoller: Sendable {}
#endif
