import DemoTarget
import Foundation
import StampedeCore
import Testing

/// What a kill does to a replay: SIGTERM (as from a supervisor or `timeout`) stops the run and the
/// partial report is still written, as for Ctrl-C (`ReplayEndToEndTests.interruptStillWritesTheReport`).
@Suite("Termination")
struct TerminationEndToEndTests {
    @Test func sigtermStillWritesThePartialReport() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        let ws = try ReplayEndToEndTests.workspace()
        let cli = try CLIProcess(
            [
                "replay", "--corpus", ws.corpus, "--base-url", server.baseURL, "--clients", "4", "--concurrency", "2",
                "--duration", "120", "--output", ws.out, "--no-fail",
            ])
        try cli.start()
        let progress = await cli.waitForStderrLine { $0.contains(" rps ") }
        #expect(progress != nil)
        kill(cli.process.processIdentifier, SIGTERM)
        let result = await cli.finish(timeout: .seconds(20))
        await server.stop()
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let report = try ReplayEndToEndTests.load(try #require(ReplayEndToEndTests.reports(in: ws.out).first))
        #expect(report[key: "interrupted"] == .bool(true))
        #expect((report[key: "total_requests"]?.doubleValue ?? 0) > 0)
    }
}
