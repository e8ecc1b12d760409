import Dispatch
import Foundation
import Synchronization

/// SIGINT/SIGTERM handling shared by the long-running commands.
enum Signals {
    /// Suspends until SIGINT or SIGTERM arrives (`serve-demo`, the recording proxy).
    static func waitForInterrupt() async {
        let signals = [SIGINT, SIGTERM]
        for number in signals { signal(number, SIG_IGN) }
        let queue = DispatchQueue(label: "stampede.signals")
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        let sources = signals.map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
        for await _ in stream { break }
        for source in sources { source.cancel() }
    }

    /// First SIGINT/SIGTERM stops the run (the report is still written); a second one exits.
    static func trapInterrupts(_ stop: @escaping @Sendable () -> Void) -> [any DispatchSourceSignal] {
        let queue = DispatchQueue(label: "stampede.replay.signals")
        let count = SignalCount()
        return [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                if count.increment() > 1 { Foundation.exit(130) }
                Console.note("\nstopping (Ctrl-C again to quit without a report)")
                stop()
            }
            source.resume()
            return source
        }
    }
}

/// Counts interrupts; only touched on the signal queue (serial), so the lock is never contended.
final class SignalCount: Sendable {
    private let value = Mutex(0)

    func increment() -> Int { value.withLock { $0 += 1; return $0 } }
}
