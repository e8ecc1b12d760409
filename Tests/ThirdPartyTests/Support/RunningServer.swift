import Foundation
import StampedeEngine
import Testing

/// A third-party server running on 127.0.0.1 for one test, in its own scratch directory.
final class RunningServer: Sendable {
    let kind: ThirdPartyServer
    let port: Int
    let directory: String
    let process: ChildProcess

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts `kind` (on `port`, or a free one) and polls its readiness path until it answers.
    static func start(_ kind: ThirdPartyServer, in scratch: String, port: Int? = nil, engine: HTTPEngine) async throws -> RunningServer {
        let port = try port ?? FreePort.next()
        let directory = scratch + "/\(kind.rawValue)-\(port)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let command = try kind.launch(port: port, directory: directory)
        let process = try ChildProcess(
            command.executable, command.arguments, environment: command.environment,
            stdout: directory + "/server.out", stderr: directory + "/server.err")
        let server = RunningServer(kind: kind, port: port, directory: directory, process: process)
        do {
            try await server.waitUntilReady(engine: engine)
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    private init(kind: ThirdPartyServer, port: Int, directory: String, process: ChildProcess) {
        self.kind = kind
        self.port = port
        self.directory = directory
        self.process = process
    }

    /// Any HTTP answer on the readiness path counts; a process that died fails at once with its log.
    private func waitUntilReady(engine: HTTPEngine, timeout: Duration = .seconds(120)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let code = process.exitStatus {
                Issue.record("\(kind) exited with status \(code) before answering:\n\(process.tail())")
                throw CancellationError()
            }
            let response = await engine.send(EngineRequest(url: baseURL + kind.readinessPath, timeoutMs: 2_000))
            if response.failure == nil, response.status > 0 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("\(kind) did not answer \(kind.readinessPath) within \(timeout):\n\(process.tail())")
        throw CancellationError()
    }

    /// Stops the server's whole process group (synchronous, for `defer`).
    func stop() { process.stop() }
}
