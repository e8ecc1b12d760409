import DemoTarget
import Foundation
import Recorder
import StampedeCore
import StampedeEngine
import StampedeTestSupport
import Testing

@Suite("Recorder process")
struct InterruptTests {
    /// The `stampede` this test run was built with (`StampedeBinary`: never a stale one elsewhere in `.build`).
    static var binary: String { StampedeBinary.url?.path ?? "stampede (not built next to the test runner)" }

    /// A running `stampede record` proxy in front of `baseURL`, writing `out`.
    struct RecordProcess {
        let process: Process
        /// `http://127.0.0.1:PORT`, from its "listening on" line.
        let url: String
        /// Its stdout, read past the "listening on" line.
        let output: FileHandle

        /// `verify: false` passes `--no-verify` (no replay of the recording against the target at the end).
        static func start(baseURL: String, out: String, verify: Bool = false, extra: [String] = []) async throws -> RecordProcess {
            try #require(FileManager.default.isExecutableFile(atPath: InterruptTests.binary), "build the CLI first: swift build")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: InterruptTests.binary)
            process.arguments = ["record", "--base-url", baseURL, "--listen", "127.0.0.1:0", "--out", out] + (verify ? [] : ["--no-verify"]) + extra
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let url = try #require(await InterruptTests.listeningURL(output.fileHandleForReading))
            return RecordProcess(process: process, url: url, output: output.fileHandleForReading)
        }
    }

    @Test("SIGINT mid-session leaves a valid corpus holding that session, and exit status 0")
    func sigintFlushesOpenSession() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        let engine = try HTTPEngine(configuration: EngineConfiguration(workers: 1))
        defer { engine.shutdown() }
        let path = temporaryPath("sigint.corpus")
        // A long idle gap: the session is still open when the signal arrives.
        let recorder = try await RecordProcess.start(baseURL: server.baseURL, out: path, extra: ["--idle-gap", "600"])
        let process = recorder.process
        let proxyURL = recorder.url

        let user = "sigint_\(ClientIdentity.randomRunID())"
        let exchanges = try await DemoFlow.drive(.scripts, baseURL: proxyURL, engine: engine, user: user)
        #expect(exchanges.count == 6)

        process.interrupt()
        let status = await Self.exitStatus(of: process)
        #expect(status == 0)

        let corpus = try Corpus.load(path: path)
        #expect(corpus.damages.isEmpty)
        #expect(corpus.header != nil)
        let session = try #require(corpus.sessions.first)
        #expect(corpus.sessions.count == 1)
        #expect(session.steps.map(\.request.method) == ["POST", "POST", "POST", "GET", "PUT", "DELETE"])
        #expect(session.unresolvedVariables().isEmpty)
        #expect(!(try corpusText(path)).contains("pw-\(user)"))
        await server.stop()
    }

    @Test("kill -9 after 3 sessions were written: the corpus holds those 3 and `corpus validate` passes")
    func killNineKeepsEveryWrittenSession() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        let engine = try HTTPEngine(configuration: EngineConfiguration(workers: 1))
        defer { engine.shutdown() }
        let path = temporaryPath("kill9.corpus")
        let recorder = try await RecordProcess.start(baseURL: server.baseURL, out: path, extra: ["--idle-gap", "2"])
        let (process, reader, proxyURL) = (recorder.process, recorder.output, recorder.url)
        for index in 0..<3 {
            let user = "kill9_\(index)_\(ClientIdentity.randomRunID())"
            _ = try await DemoFlow.drive(.scripts, baseURL: proxyURL, engine: engine, user: user)
        }
        // A fourth session is still open (never flushed) when the recorder dies.
        _ = try await DemoFlow.drive(.scripts, baseURL: proxyURL, engine: engine, user: "kill9_open_\(ClientIdentity.randomRunID())")
        let written = await Self.read(reader) { text in text.components(separatedBy: " written: ").count - 1 >= 3 }
        #expect(written, "the recorder did not report 3 written sessions")
        kill(process.processIdentifier, SIGKILL)
        #expect(await Self.exitStatus(of: process) == SIGKILL)

        let corpus = try Corpus.load(path: path)
        #expect(corpus.damages.isEmpty, "\(corpus.damages)")
        #expect(corpus.sessions.count >= 3)
        #expect(corpus.sessions.allSatisfy { $0.steps.count == 6 })
        let validate = Process()
        validate.executableURL = URL(fileURLWithPath: Self.binary)
        validate.arguments = ["corpus", "validate", path]
        validate.standardOutput = FileHandle.nullDevice
        validate.standardError = FileHandle.nullDevice
        try validate.run()
        #expect(await Self.exitStatus(of: validate) == 0)
        await server.stop()
    }

    /// Reads the child's stdout until `done` holds for what came so far (false at its end).
    static func read(_ handle: FileHandle, until done: @escaping @Sendable (String) -> Bool) async -> Bool {
        await Task.detached {
            var text = ""
            while !done(text) {
                let data = handle.availableData
                if data.isEmpty { return false }
                text += String(decoding: data, as: UTF8.self)
            }
            return true
        }.value
    }

    /// Reads the child's stdout until its "listening on http://…" line; returns that URL.
    static func listeningURL(_ handle: FileHandle) async -> String? {
        await Task.detached {
            var text = ""
            while true {
                let data = handle.availableData
                if data.isEmpty { return nil }
                text += String(decoding: data, as: UTF8.self)
                if let range = text.range(of: "listening on "), let end = text[range.upperBound...].firstIndex(of: " ") {
                    return String(text[range.upperBound..<end])
                }
            }
        }.value
    }

    /// Waits for the process to exit (bounded: a recorder that does not stop within 20 s is killed).
    static func exitStatus(of process: Process) async -> Int32 {
        let watchdog = Task.detached {
            try await Task.sleep(for: .seconds(20))
            if process.isRunning { process.terminate() }
        }
        let status = await Task.detached {
            process.waitUntilExit()
            return process.terminationStatus
        }.value
        watchdog.cancel()
        return status
    }
}
