import Foundation
import StampedeCore
import StampedeTestSupport
import Testing

/// The built `stampede` binary run as a child process, with outputs in files under `directory`.
struct StampedeRun {
    let directory: String

    static var binary: String {
        get throws { try #require(StampedeBinary.url, "stampede binary not found; run `swift build` first").path }
    }

    /// Starts `stampede ARGS` (output in `<directory>/<label>.out|.err`) without waiting.
    func start(_ label: String, _ arguments: [String], environment: [String: String] = [:]) throws -> ChildProcess {
        try ChildProcess(
            try Self.binary, arguments, environment: ThirdPartyVenv.environment(environment),
            stdout: directory + "/\(label).out", stderr: directory + "/\(label).err")
    }

    /// Runs `stampede ARGS` to the end; a run that outlives `timeout` is stopped and recorded as an issue.
    func run(_ label: String, _ arguments: [String], environment: [String: String] = [:], timeout: Duration) async throws -> ChildProcess {
        let process = try start(label, arguments, environment: environment)
        defer { process.stop() }
        if await process.waitForExit(timeout: timeout) == nil {
            Issue.record("stampede \(label) still running after \(timeout):\n\(process.tail())")
        }
        return process
    }

    /// Polls a growing output file until a line satisfies `match`; nil when the process ends or time runs out.
    static func awaitLine(of process: ChildProcess, timeout: Duration, _ match: (Substring) -> String?) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            for line in process.output.split(separator: "\n") {
                if let found = match(line) { return found }
            }
            if !process.isRunning { return nil }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }
}
