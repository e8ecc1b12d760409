import Synchronization

/// A one-shot "the server is stopping" flag that long waits (the hang defect, SSE keepalives,
/// simulated executions) race against, so `DemoServer.stop()` never waits for them.
final class StopSignal: Sendable {
    private struct State {
        var stopped = false
        var nextID: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    var isStopped: Bool { state.withLock { $0.stopped } }

    /// How many tasks are parked waiting for the stop (for tests that need a wait to be in progress).
    var waiterCount: Int { state.withLock { $0.waiters.count } }

    /// Flips the flag and wakes every waiter. Idempotent.
    func stop() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.stopped = true
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Sleeps for `duration`; returns `true` if it slept the whole time, `false` if the server stopped
    /// or the task was cancelled first.
    func sleep(for duration: Duration) async -> Bool {
        if isStopped { return false }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                (try? await Task.sleep(for: duration)) != nil
            }
            group.addTask {
                await self.waitUntilStopped()
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    /// Returns once `stop()` was called or the current task is cancelled.
    func waitUntilStopped() async {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.stopped || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
