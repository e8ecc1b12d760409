import ArgumentParser
import EngineBench
import StampedeEngine

/// `stampede bench-engine`: a closed-loop GET benchmark of the libcurl engine alone.
struct BenchEngineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-engine",
        abstract: "Measure the HTTP engine: closed-loop GETs against one URL (compare with wrk)."
    )

    @Option(help: "The URL to GET.")
    var url: String

    @Option(help: "Concurrent request chains (like wrk's connections).")
    var connections: Int = 32

    @Option(help: "Run time in seconds.")
    var duration: Double = 5

    @Option(help: "Engine worker threads (default: the number of cores).")
    var workers: Int = EngineConfiguration.coreCount

    @Flag(help: "Use HTTP/2 (h2 via ALPN for https, prior knowledge for http).")
    var http2 = false

    @Option(help: "Worker event loop: socket-action (epoll) or perform (curl_multi_poll).")
    var loop: String = EngineLoop.platformDefault.rawValue

    @Flag(help: "Print one machine-readable line (key=value) instead of text.")
    var machine = false

    func validate() throws {
        guard connections > 0 else { throw ValidationError("--connections must be positive") }
        guard duration > 0 else { throw ValidationError("--duration must be positive") }
        guard workers > 0 else { throw ValidationError("--workers must be positive") }
        guard EngineLoop(rawValue: loop) != nil else { throw ValidationError("--loop must be socket-action or perform") }
    }

    func run() async throws {
        let benchmark = EngineBenchmark(
            url: url,
            connections: connections,
            duration: .milliseconds(Int(duration * 1_000)),
            configuration: EngineConfiguration(
                workers: workers, verifyTLS: false, http2: http2, loop: EngineLoop(rawValue: loop) ?? .platformDefault)
        )
        let r = try await benchmark.run()
        if machine {
            print("requests=\(r.requests) errors=\(r.errors) rps=\(Int(r.requestsPerSecond)) p50_us=\(r.p50Us) p99_us=\(r.p99Us) max_us=\(r.maxUs) cpu_us_per_req=\(format(r.cpuUsPerRequest)) new_connections=\(r.newConnections)")
        } else {
            print("stampede engine: \(r.requests) requests in \(format(r.seconds)) s, \(r.errors) errors, \(r.newConnections) connections")
            print("  requests/s: \(Int(r.requestsPerSecond))")
            print("  latency:    p50 \(r.p50Us) µs, p99 \(r.p99Us) µs, max \(r.maxUs) µs")
            print("  client CPU: \(format(r.cpuUsPerRequest)) µs/request (\(workers) workers)")
        }
        if let failure = r.firstFailure { print("  first failure: \(failure)") }
    }

    private func format(_ value: Double) -> String {
        let scaled = (value * 100).rounded() / 100
        return "\(scaled)"
    }
}
