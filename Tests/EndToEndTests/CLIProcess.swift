import Foundation
import StampedeTestSupport
import Testing

/// Runs the built `stampede` binary as a child process.
struct CLIProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// The child's peak resident memory (VmHWM), read from /proc while it ran; 0 if never read.
        var peakRSSBytes = 0
    }

    /// The `stampede` executable next to the test bundle (`.build/<config>/stampede`).
    static var binary: URL {
        get throws {
            try #require(StampedeBinary.url, "stampede binary not found in \(StampedeBinary.candidates.map(\.path)); run `swift build` first")
        }
    }

    let process = Process()
    let out = Pipe()
    let err = Pipe()

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = try Self.binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LOAD_") }
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
    }

    func start() throws { try process.run() }

    /// Reads standard error line by line until one satisfies `predicate` (or the stream ends).
    func waitForStderrLine(_ predicate: @escaping @Sendable (String) -> Bool) async -> String? {
        let handle = err.fileHandleForReading
        return await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: Self.scanLines(handle, predicate)) }.start()
        }
    }

    static func scanLines(_ handle: FileHandle, _ predicate: (String) -> Bool) -> String? {
        var buffer = ""
        while true {
            let data = handle.availableData
            if data.isEmpty { return nil }
            buffer += String(decoding: data, as: UTF8.self)
            while let nl = buffer.firstIndex(of: "\n") {
                let line = String(buffer[..<nl])
                buffer = String(buffer[buffer.index(after: nl)...])
                if predicate(line) { return line }
            }
        }
    }

    /// Waits for the exit; `timeout` kills a process that outlives it.
    func finish(timeout: Duration = .seconds(60)) async -> Result {
        // Drain both pipes on their own threads (not the cooperative pool, which an in-process
        // demo server needs) so a full pipe never blocks the child.
        async let stdout = Self.readToEnd(out.fileHandleForReading)
        async let stderr = Self.readToEnd(err.fileHandleForReading)
        let deadline = ContinuousClock.now + timeout
        var peak = 0
        while process.isRunning && ContinuousClock.now < deadline {
            peak = max(peak, Self.highWaterMark(of: process.processIdentifier))
            try? await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: await stdout, as: UTF8.self),
            stderr: String(decoding: await stderr, as: UTF8.self), peakRSSBytes: peak)
    }

    /// `VmHWM` of a live process in bytes (the kernel's peak resident set; it never decreases).
    static func highWaterMark(of pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }

    static func readToEnd(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: handle.readDataToEndOfFile()) }.start()
        }
    }

    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(60)) async throws -> Result {
        let p = try CLIProcess(arguments, environment: environment)
        try p.start()
        return await p.finish(timeout: timeout)
    }
}
