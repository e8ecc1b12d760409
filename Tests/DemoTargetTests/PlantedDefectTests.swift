@testable import DemoTarget
import Foundation
import StampedeCore
import StampedeEngine
import Testing

/// Each planted defect fires exactly as documented, and is a plain 4xx with defects off.
@Suite struct PlantedDefectTests {
    /// What a defect's trigger request gets back.
    enum Outcome: Equatable {
        case status(Int)
        case transportFailure(String)
    }

    /// Sends defect `id`'s minimal trigger for a logged-in user who already has a script and a finished execution.
    static func trigger(_ id: String, client: DemoClient, scriptID: String, executionID: String) async -> Outcome {
        let response: HTTPResponse
        switch id {
        case "D1": response = await client.sendRawJSON("PUT", "/user/settings/theme", #"{"theme":{"name":"dark"}}"#)
        case "D2": response = await client.send("GET", "/notifications?limit=1001&offset=0")
        case "D3": response = await client.sendJSON("PATCH", "/scripts/\(scriptID)", ["name": "x"])
        case "D4": response = await client.send("GET", "/scripts/\(scriptID)\(scriptID)")
        case "D5": response = await client.sendJSON("POST", "/execute", ["script": "print(1)", "lang": "python", "lang_version": "3.11\u{00E9}"])
        case "D6": response = await client.send("POST", "/scripts", body: Array(#"{"name":"n","script":"s"}"#.utf8))
        case "D7": response = await client.send("GET", "/executions/\(executionID)/events?limit=0", timeoutMs: 1_500)
        default: return .status(-1)
        }
        if let failure = response.failure { return .transportFailure(failure.name) }
        return .status(response.status)
    }

    @Test func catalogueIsCompleteAndDistinct() {
        let all = PlantedDefects.all
        #expect(all.count >= 6)
        #expect(Set(all.map(\.id)).count == all.count)
        let triggers: [String] = all.map { defect in defect.endpoint + " " + defect.trigger }
        #expect(Set(triggers).count == all.count)
        #expect(all.filter { $0.kind == .serverError }.count >= 4)
        #expect(all.filter { $0.kind == .droppedConnection }.count >= 1)
        #expect(all.filter { $0.kind == .hang }.count >= 1)
        #expect(PlantedDefects.hangDuration > .seconds(10))
        for defect in all {
            #expect(!defect.summary.isEmpty && !defect.trigger.isEmpty)
            #expect(defect.endpoint.contains(" /api/v1/"))
        }
        #expect(Set(all.map(\.id)) == Set(["D1", "D2", "D3", "D4", "D5", "D6", "D7"]), "a new defect needs a trigger in this test")
    }

    @Test(arguments: PlantedDefects.all.map(\.id))
    func defectTriggersAndSwitchesOff(id: String) async throws {
        let defect = try #require(PlantedDefects.all.first { $0.id == id })
        for enabled in [true, false] {
            try await withDemo(defects: enabled) { server, engine in
                let client = DemoClient(engine: engine, server: server)
                await client.signUp("mallory")
                let scriptID = try #require(await client.createScript())
                let executionID = try #require(await client.execute("print('x')"))
                _ = await waitForResult(client, executionID)

                let outcome = await Self.trigger(id, client: client, scriptID: scriptID, executionID: executionID)
                if enabled {
                    switch defect.kind {
                    case .serverError:
                        #expect(outcome == .status(500))
                    case .droppedConnection:
                        #expect(outcome == .transportFailure("CURLE_GOT_NOTHING") || outcome == .transportFailure("CURLE_RECV_ERROR"))
                    case .hang:
                        #expect(outcome == .transportFailure("CURLE_OPERATION_TIMEDOUT"))
                    }
                } else {
                    guard case .status(let status) = outcome else {
                        Issue.record("\(id) with defects off: \(outcome)")
                        return
                    }
                    #expect((400..<500).contains(status) || (200..<300).contains(status), "\(id) off gave \(status)")
                }
                // The server stays healthy for the same user afterwards.
                #expect(await client.send("GET", "/auth/me").status == 200)
            }
        }
    }

    @Test func defectsNeedTheirPreconditions() async throws {
        try await withDemo { server, engine in
            let client = DemoClient(engine: engine, server: server)
            // Not logged in: every trigger is a plain 401.
            #expect(await client.send("GET", "/notifications?limit=5000").status == 401)
            #expect(await client.send("PATCH", "/scripts/abc").status == 401)
            #expect(await client.send("POST", "/scripts", body: Array("{}".utf8)).status == 401)
            await client.signUp("nina")
            // Logged in but without the CSRF header: 403, before any defect.
            #expect(await client.send("PATCH", "/scripts/abc", csrf: false).status == 403)
            #expect(await client.send("POST", "/scripts", body: Array("{}".utf8), csrf: false).status == 403)
            // Values next to the trigger stay sound.
            #expect(await client.send("GET", "/notifications?limit=1000").status == 200)
            #expect(await client.send("GET", "/notifications?limit=0").status == 422)
            #expect(await client.send("GET", "/scripts/\(String(repeating: "a", count: 64))").status == 404)
            #expect(await client.sendJSON("POST", "/execute", ["script": "print('\u{00E9}')"]).status == 200)
            #expect(await client.sendRawJSON("PUT", "/user/settings/theme", #"{"theme":null}"#).status == 422)
        }
    }

    @Test func stopDoesNotWaitForTheHang() async throws {
        let server = try await DemoServer.start()
        let engine = try HTTPEngine(configuration: EngineConfiguration(workers: 1))
        defer { engine.shutdown() }
        let client = DemoClient(engine: engine, server: server)
        await client.signUp("oscar")
        let executionID = try #require(await client.execute("print(1)"))
        _ = await waitForResult(client, executionID)
        // Start the hanging request, then stop the server once it is in flight.
        #expect(server.parkedWaits == 0)
        async let hung = client.send("GET", "/executions/\(executionID)/events?limit=0", timeoutMs: 30_000)
        // Bounded wait until the hang is parked server-side; each probe is a real round trip.
        for _ in 0..<500 where server.parkedWaits == 0 {
            _ = await client.send("GET", "/health/live")
        }
        #expect(server.parkedWaits == 1)
        let stopped = ContinuousClock.now
        await server.stop()
        let response = await hung
        // Without the stop signal this request would take 15 s; it ends with the server instead, answered
        // by ordinary validation (limit=0 is a 422) because the hang was cut short.
        #expect(ContinuousClock.now - stopped < .seconds(10))
        #expect(response.status == 422)
        await server.stop()  // idempotent
    }
}
