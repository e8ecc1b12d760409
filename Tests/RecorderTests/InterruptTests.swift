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
