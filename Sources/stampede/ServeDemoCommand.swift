import ArgumentParser
import DemoTarget
import Dispatch
import Foundation
import Logging

/// `stampede serve-demo`: run the embedded demo backend until Ctrl-C.
struct ServeDemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve-demo",
        abstract: "Run the demo backend (the API the original suite targeted) with planted defects.",
        discussion: "Serves /api/v1 on HOST:PORT until interrupted. Use --no-defects for a sound server."
    )

    @Option(help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(help: "Port to bind (0 picks a free one).")
    var port = 8000

    @Flag(name: .customLong("no-defects"), help: "Turn every planted defect off.")
    var noDefects = false

    @Flag(help: "Also plant C3: a script update accepts a description over the 1024 characters /openapi.json allows (--checks negative-accepted).")
    var lenient = false

    @Flag(help: "Stall 1 s every 5 s (seconds 4–5, 9–10, … after start): shows what open and closed load models report.")
    var stall = false

    @Flag(help: "Log one line per request to standard error.")
    var verbose = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        var logger = Logger(label: "stampede.serve-demo", factory: { label in StreamLogHandler.standardError(label: label) })
        logger.logLevel = verbose ? Logger.Level.info : Logger.Level.warning
        let options = DemoServerOptions(host: host, port: port, defects: !noDefects, lenient: lenient, verbose: verbose, stall: stall ? DemoStall() : nil)
        let server = try await DemoServer.start(options, logger: logger)
        Self.say("demo target listening on \(server.baseURL)/api/v1 (defects \(noDefects ? "off" : "on"))")
        if !noDefects {
            for defect in PlantedDefects.all {
                Self.say("  \(defect.id) \(defect.kind.rawValue): \(defect.endpoint) — \(defect.trigger)")
            }
        }
        Self.say("press Ctrl-C to stop")
        await Signals.waitForInterrupt()
        Self.say("stopping")
        await server.stop()
    }

    /// Writes a line to standard output unbuffered, so a parent process waiting for "listening" sees it at once.
    private static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
