import Dispatch
import Foundation

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
}
