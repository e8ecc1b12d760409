import Histogram
package import StampedeEngine
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A closed-loop GET benchmark through the real engine, for comparing against wrk and hey.
///
/// `connections` request chains run for `duration`; each completion records its latency in an
/// HDR histogram and resubmits from the worker thread, so the loop costs what a real run costs.
package struct EngineBenchmark: Sendable {
    /// The outcome of one run.
    package struct Result: Sendable {
        /// Completed requests (successful or not).
        package var requests: Int
        /// Responses that were not 2xx/3xx or failed at the transport level.
        package var errors: Int
        /// Wall-clock run time.
        package var seconds: Double
        /// `requests / seconds`.
        package var requestsPerSecond: Double
        /// Median latency in microseconds (HDR histogram, 3 significant digits).
        package var p50Us: UInt64
        /// 99th percentile latency in microseconds.
        package var p99Us: UInt64
        /// Largest latency in microseconds.
        package var maxUs: UInt64
        /// Process CPU time (user + system, all threads) per request, in microseconds.
        package var cpuUsPerRequest: Double
        /// Connections opened during the run.
        package var newConnections: Int
        /// The first transport failure seen, if any.
        package var firstFailure: TransportFailure?
    }

    /// The URL every request GETs.
    package var url: String
    /// Concurrent request chains.
    package var connections: Int
    /// How long chains keep resubmitting.
    package var duration: Duration
    /// The engine's settings.
    package var configuration: EngineConfiguration

    /// A benchmark of `connections` chains against `url` for `duration`.
    package init(url: String, connections: Int = 32, duration: Duration = .seconds(5), configuration: EngineConfiguration = .init()) {
        self.url = url
        self.connections = connections
        self.duration = duration
        self.configuration = configuration
    }

    /// Per-chain counters; each chain's completions run one after another, so its lock is uncontended.
    private final class Chain: Sendable {
        struct State {
            var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
            var requests = 0
            var errors = 0
            var newConnections = 0
            var firstFailure: TransportFailure?
        }

        let state = Mutex(State())
    }

    /// Runs the benchmark.
    ///
    /// - Throws: `EngineError` when the engine cannot start.
    package func run() async throws -> Result {
        let engine = try HTTPEngine(configuration: configuration)
        defer { engine.shutdown() }
        let request = EngineRequest(method: "GET", url: url, timeoutMs: 10_000)
        let chains = (0..<max(1, connections)).map { _ in Chain() }
        let remaining = Atomic<Int>(chains.count)
        let cpuBefore = Self.cpuMicroseconds()
        let start = ContinuousClock.now
        let deadline = start + duration

        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            for chain in chains {
                let completion = ChainCompletion(chain: chain, engine: engine, request: request, deadline: deadline) {
                    if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { done.resume() }
                }
                engine.submit(request, completion: completion.callAsFunction)
            }
        }

        let elapsed = ContinuousClock.now - start
        let cpu = Self.cpuMicroseconds() - cpuBefore
        var merged = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        var requests = 0, errors = 0, newConnections = 0
        var firstFailure: TransportFailure?
        for chain in chains {
            chain.state.withLock { state in
                merged.add(state.histogram)
                requests += state.requests
                errors += state.errors
                newConnections += state.newConnections
                if firstFailure == nil { firstFailure = state.firstFailure }
            }
        }
        let seconds = elapsed / .seconds(1)
        return Result(
            requests: requests,
            errors: errors,
            seconds: seconds,
            requestsPerSecond: seconds > 0 ? Double(requests) / seconds : 0,
            p50Us: merged.valueAtPercentile(50),
            p99Us: merged.valueAtPercentile(99),
            maxUs: merged.max,
            cpuUsPerRequest: requests > 0 ? Double(cpu) / Double(requests) : 0,
            newConnections: newConnections,
            firstFailure: firstFailure
        )
    }

    /// One chain's completion: record, then resubmit until the deadline.
    private struct ChainCompletion: Sendable {
        let chain: Chain
        let engine: HTTPEngine
        let request: EngineRequest
        let deadline: ContinuousClock.Instant
        let finished: @Sendable () -> Void

        func callAsFunction(_ response: EngineResponse) {
            chain.state.withLock { state in
                state.requests += 1
                state.newConnections += response.newConnections
                _ = state.histogram.record(UInt64(max(1, response.latencyUs)))
                if response.failure != nil || response.status < 200 || response.status >= 400 {
                    state.errors += 1
                    if state.firstFailure == nil { state.firstFailure = response.failure }
                }
            }
            // Stop on an engine shutdown too, or the chain would spin on immediate failures.
            if ContinuousClock.now < deadline, response.failure?.code != 42 {
                engine.submit(request, completion: callAsFunction)
            } else {
                finished()
            }
        }
    }

    static func cpuMicroseconds() -> Int64 {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        let user = Int64(usage.ru_utime.tv_sec) * 1_000_000 + Int64(usage.ru_utime.tv_usec)
        let system = Int64(usage.ru_stime.tv_sec) * 1_000_000 + Int64(usage.ru_stime.tv_usec)
        return user + system
    }
}
