import APISpec
import DemoTarget
import Replayer
import StampedeClient
import StampedeCore
import Testing

/// The demo target's /openapi.json plus corpora/demo, replayed by monkeys (issue #16 "done when").
@Suite(.serialized) struct DemoConformanceTests {
    @Test(.timeLimit(.minutes(4)))
    func everyOperationIsExercisedAndBothConformanceDefectsAreFoundAndMinimized() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: true))
        let spec = try await DemoSpec.spec(from: server)
        let sessions = try DemoSpec.corpus()
        let replay = try Replay(options: DemoSpec.options(server.baseURL, spec: spec, sessions: sessions), sessions: sessions)
        let report = await replay.run()
        await server.stop()

        let operations = try #require(report.operations)
        #expect(operations.count == spec.operations.count)
        let idle = operations.filter { $0.requests == 0 }.map(\.operation)
        #expect(idle.isEmpty, "operations never exercised: \(idle)")
        #expect(operations.contains { !$0.recorded && $0.requests > 0 })
        #expect(operations.first { $0.operation == "getScript" }?.realState == true)

        let conformance = report.findings.filter { $0.failureClass == .conformance }
        let status = conformance.first { $0.endpoint == "GET /api/v1/notifications" && $0.failure.contains("status 416") }
        let body = conformance.first { $0.endpoint == "GET /api/v1/scripts/{id}" && $0.failure.hasPrefix("body-schema") }
        for (name, finding) in [("C1 undeclared status", status), ("C2 off-schema body", body)] {
            let found = try #require(finding, "\(name) not found; conformance findings: \(conformance.map { "\($0.endpoint) \($0.failure)" })")
            #expect(found.confirmed == true, "\(name)")
            #expect(found.minimal != nil, "\(name)")
        }
        #expect(body?.failure.contains("/lang_version") == true)
        #expect(status?.minimal?.request.query.contains { $0.name == "offset" } == true)
        #expect(OperationCoverage.summaryLine(operations).hasPrefix("operations: \(operations.count)/\(operations.count) exercised"))
    }

    @Test(.timeLimit(.minutes(4)))
    func theSoundTargetHasNoConformanceFindings() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        let spec = try await DemoSpec.spec(from: server)
        let sessions = try DemoSpec.corpus()
        let replay = try Replay(
            options: DemoSpec.options(server.baseURL, spec: spec, sessions: sessions, seed: 23), sessions: sessions)
        let report = await replay.run()
        await server.stop()

        let conformance = report.findings.filter { $0.failureClass == .conformance }
        #expect(conformance.isEmpty, "false positives: \(conformance.map { "\($0.endpoint) \($0.failure)" })")
        #expect(report.totalRequests > 300)
        #expect((report.operations ?? []).filter { $0.requests > 0 }.count == spec.operations.count)
    }
}
