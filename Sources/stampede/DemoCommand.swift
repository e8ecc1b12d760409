import ArgumentParser
import DemoTarget
import Foundation
import Mutator
import StampedeCore

/// `stampede demo`: the embedded demo target, replayed in both modes for 20 s.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start the demo target on a free loopback port and replay corpora/demo against it (both modes, 20 s).",
        discussion: """
            Flags override the demo's defaults (--duration 20, --mode both, --clients 20, --concurrency 8, --request-timeout 3s).
            Prints the summary and the findings (the demo target has planted defects; --no-defects turns them off),
            writes the report to --output (default out/), then stops the target.
            """
    )

    @OptionGroup var flags: ReplayFlags

    @Option(help: "Corpus directory (run from the repository root, or point it at corpora/demo).")
    var corpus = "corpora/demo"

    @Flag(name: .customLong("no-defects"), help: "Turn the demo target's planted defects off.")
    var noDefects = false

    func run() async throws {
        let sessions = try ReplayFlags.loadSessions(corpus)
        let corpusPath = corpus
        let server: DemoServer
        do {
            server = try await DemoServer.start(DemoServerOptions(port: 0, defects: !noDefects))
        } catch {
            throw CLIError.failure("cannot start the demo target: \(error)")
        }
        Console.note("demo target on \(server.baseURL) (defects \(noDefects ? "off" : "on"))")
        let code: Int32
        do {
            code = try await flags.execute(
                corpusPath: corpusPath, sessions: sessions, baseURLOverride: server.baseURL,
                overrides: [.duration: "20", .mode: "both", .clients: "20", .concurrency: "8", .apiPrefix: "/api/v1"],
                // The demo target answers in milliseconds; 3 s still catches its 15 s hang, and
                // keeps triage of that hang (one timeout per probe) short.
                defaultRequestTimeoutMs: 3_000)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        if code != 0 { throw ExitCode(code) }
    }
}
