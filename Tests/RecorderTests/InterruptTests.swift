import DemoTarget
import Foundation
import Recorder
import StampedeCore
import StampedeEngine
import Testing

@Suite("Recorder process")
struct InterruptTests {
    /// `.build/debug/stampede`, found from this file's location (the package root is two levels up).
    static var binary: String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/stampede").path
    }

    @Test("SIGINT mid-session leaves a valid corpus holding that session, and exit status 0")
    func sigintFlushesOpenSession() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build the CLI first: swift build")
        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        let engine = try HTTPEngine(configuration: EngineConfiguration(workers: 1))
        defer { engine.shutdown() }
        let path = temporaryPath("sigint.corpus")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        // A long idle gap: the session is still open when the signal arrives.
        process.arguments = ["record", "--base-url", server.baseURL, "--listen", "127.0.0.1:0", "--out", path, "--idle-gap", "600", "--no-verify"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let reader = output.fileHandleForReading
        let proxyURL = try #require(await Self.listeningURL(reader))

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
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build the CLI first: swift build")
        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        let engine = try HTTPEngine(configuration: EngineConfiguration(workers: 1))
        defer { engine.shutdown() }
        let path = temporaryPath("kill9.corpus")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["record", "--base-url", server.baseURL, "--listen", "127.0.0.1:0", "--out", path, "--idle-gap", "2", "--no-verify"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let reader = output.fileHandleForReading
        let proxyURL = try #require(await Self.listeningURL(reader))
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
