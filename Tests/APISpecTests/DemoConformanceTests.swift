import APISpec
import DemoTarget
import Foundation
import Replayer
import SpecFuzz
import StampedeClient
import StampedeCore
import StampedeTestSupport
import Testing

/// The demo target's /openapi.json plus corpora/demo, replayed by monkeys (issue #16 "done when").
@Suite(.serialized) struct DemoConformanceTests {
    @Test(.timeLimit(.minutes(4)))
    func everyOperationIsExercisedAndBothConformanceDefectsAreFoundAndMinimized() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: true))
        let spec = try await DemoSpec.spec(from: server)
        let sessions = try DemoSpec.corpus()
        let crashes = FileManager.default.temporaryDirectory.appendingPathComponent("stampede-conformance-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: crashes) }
        var options = try DemoSpec.options(server.baseURL, spec: spec, sessions: sessions)
        options.triage.crashDirectory = crashes
        let replay = try Replay(options: options, sessions: sessions)
        let report = await replay.run()
        // C1's reproducer, run alone against the same server, gets the undeclared status again.
        let c1Script = report.findings.first { $0.endpoint == "GET /api/v1/notifications" && $0.failure.contains("status 416") }?.crashScript
        let c1Run = try c1Script.map { try Self.runScript($0, baseURL: server.baseURL) }
        // C2's too: the same declared status, and a body whose `lang_version` breaks its type again.
        let c2Script = report.findings.first { $0.endpoint == "GET /api/v1/scripts/{id}" && $0.failure.hasPrefix("body-schema") }?.crashScript
        let c2Run = try c2Script.map { try Self.runScript($0, baseURL: server.baseURL) }
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
        let (c1Status, c1Output) = try #require(c1Run, "C1 has no reproducer script")
        #expect(c1Status == 0 && c1Output.contains("reproduced") && !c1Output.contains("not reproduced"), "\(c1Output)")
        let (c2Status, c2Output) = try #require(c2Run, "C2 has no reproducer script")
        #expect(c2Status == 0 && c2Output.contains("reproduced") && !c2Output.contains("not reproduced"), "\(c2Output)")
        #expect(status?.minimal?.request.query.contains { $0.name == "offset" } == true)
        #expect(OperationCoverage.summaryLine(operations).hasPrefix("operations: \(operations.count)/\(operations.count) exercised"))
    }

    /// Every check, the opt-in `negative-accepted` too: the sound target enforces every constraint its
    /// spec declares, so no negative schema request is answered 2xx (C3, the lenient update, is off
    /// with the defects even when asked for).
    @Test(.timeLimit(.minutes(4)))
    func theSoundTargetHasNoConformanceFindings() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: false, lenient: true))
        let spec = try await DemoSpec.spec(from: server)
        let sessions = try DemoSpec.corpus()
        let replay = try Replay(
            options: DemoSpec.options(server.baseURL, spec: spec, sessions: sessions, checks: Set(ConformanceCheck.allCases), seed: 23),
            sessions: sessions)
        let report = await replay.run()
        await server.stop()

        let conformance = report.findings.filter { $0.failureClass == .conformance }
        #expect(conformance.isEmpty, "false positives: \(conformance.map { "\($0.endpoint) \($0.failure)" })")
        #expect(report.totalRequests > 300)
        #expect((report.operations ?? []).filter { $0.requests > 0 }.count == spec.operations.count)
    }

    /// C3 (`lenient`): a script update takes a `description` over its schema's 1024 characters. `negative-accepted`
    /// finds it from a schema request; triage confirms it, shrinks it only while the request still
    /// breaks that constraint, and stores it with a reproducer that reproduces it alone.
    @Test(.timeLimit(.minutes(4)))
    func aLenientUpdateIsConfirmedMinimizedAndStillBreaksItsConstraint() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: true, lenient: true))
        let spec = try await DemoSpec.spec(from: server)
        let sessions = try DemoSpec.corpus()
        let crashes = FileManager.default.temporaryDirectory.appendingPathComponent("stampede-negative-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: crashes) }
        var options = try DemoSpec.options(server.baseURL, spec: spec, sessions: sessions, checks: [.negativeAccepted], duration: 20, seed: 31)
        options.triage.crashDirectory = crashes
        let report = await (try Replay(options: options, sessions: sessions)).run()

        let accepted = report.findings.filter { $0.failure.hasPrefix("negative-accepted: ") }
        let found = accepted.first { $0.endpoint == "PUT /api/v1/scripts/{id}" && $0.failure.hasSuffix("breaking body /description: maxLength") }
        let put = report.endpoints["PUT /api/v1/scripts/{id}"]?.status ?? [:]
        let maxLength = (report.operatorYield ?? []).filter { $0.name == "schema.negative.body.maxLength" }
        let c3 = try #require(
            found, "C3 not found; negative-accepted: \(accepted.map { "\($0.endpoint) \($0.failure) \($0.confirmed ?? false)" }); PUT statuses \(put); \(maxLength)")
        #expect(c3.confirmed == true && c3.minimized)
        // The demo enforces every other constraint of its spec: nothing else is confirmed.
        let others = accepted.filter { $0.confirmed == true && $0.signature != c3.signature }
        #expect(others.isEmpty, "\(others.map { "\($0.endpoint) \($0.failure)" })")

        // The minimal request still breaks the constraint: its description is still over 1024 characters.
        let minimal = try #require(c3.minimal)
        let body = try JSONParser().parse(Array((minimal.request.body?.text ?? "").utf8))
        #expect((body[key: "description"]?.stringValue?.count ?? 0) > 1_024, "\(minimal.request.body?.text?.prefix(80) ?? "no body")")
        #expect(minimal.request.body?.text?.count ?? 0 < c3.example.request.body?.text?.count ?? 0, "not smaller than the input")

        // Stored like any finding: one summary line per finding, the crash record, the reproducer.
        let lines = ReportSummary.render(report).split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 200 })
        #expect(lines.contains { $0.contains(c3.signature) && $0.contains("confirmed, minimized") })
        #expect(FileManager.default.fileExists(atPath: try #require(c3.crashFile)))
        let (status, output) = try Self.runScript(try #require(c3.crashScript), baseURL: server.baseURL)
        #expect(status == 0 && output.contains("reproduced"), "\(output)")

        // The schema operators have rows in the report's operator yield: mutants sent, new shapes, findings.
        let yield = (report.operatorYield ?? []).filter { $0.name.hasPrefix("schema.") }
        #expect(yield.contains { $0.name == "schema.negative.body.maxLength" && $0.mutants > 0 && $0.findings >= 1 }, "\(yield)")
        #expect(yield.contains { $0.name == SchemaRequest.positiveOperator && $0.mutants > 0 && $0.newShapes > 0 }, "\(yield)")

        // Replayed as a regression, the record still fails here, and is fixed on the sound target.
        let record = try #require(c3.crashRecord)
        let again = try Replay(options: options, sessions: sessions)
        #expect(await again.replayRegressions([(record, nil)]).map(\.status) == [.stillFailing])
        await server.stop()
        let sound = try await DemoServer.start(DemoServerOptions(defects: false, lenient: true))
        let fixed = try Replay(options: DemoSpec.options(sound.baseURL, spec: spec, sessions: sessions, checks: [.negativeAccepted]), sessions: sessions)
        #expect(await fixed.replayRegressions([(record, nil)]).map(\.status) == [.fixed])
        await sound.stop()
    }

    /// Runs a reproducer script with bash: its exit status and output.
    static func runScript(_ path: String, baseURL: String) throws -> (Int32, String) {
        try BashScript.run([path, baseURL])
    }
}
