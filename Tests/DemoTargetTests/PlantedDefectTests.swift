@testable import DemoTarget
import Foundation
import StampedeCore
import StampedeHTTP
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
        let response: EngineResponse
        switch id {
        case "D1": response = await client.sendRawJSON("PUT", "/user/settings/theme", #"{"theme":{"name":"dark"}}"#)
        case "D2": response = await client.send("GET", "/notifications?limit=1001&offset=0")
        case "D3": response = await client.sendJSON("PATCH", "/scripts/\(scriptID)", ["name": "x"])
        case "D4": response = await client.send("GET", "/scripts/\(scriptID)\(scriptID)")
        case "D5": response = await client.sendJSON("POST", "/execute", ["script": "print(1)", "lang": "python", "lang_version": "3.11\u{00E9}"])
        case "D6": response = await client.send("POST", "/scripts", body: Array(#"{"name":"n","script":"s"}"#.utf8))
        case "D7": response = await client.send("GET", "/executions/\(executionID)/events?limit=0", timeoutMs: 1_500)
        case "D8": response = await client.send("GET", "/user/settings", headers: [HTTPHeader("If-None-Match", "*x")])
        case "D9": response = await client.send("DELETE", "/scripts/\(scriptID)", headers: [HTTPHeader("Content-Type", "text/plain")])
        case "D10": response = await client.sendRawJSON("POST", "/alerts/grafana", #"{"alerts":[{"labels":{"__proto__":""}}]}"#)
        case "D11":
            let deep = String(repeating: "[", count: 33) + String(repeating: "]", count: 33)
            response = await client.sendRawJSON("PUT", "/scripts/\(scriptID)", deep)
        case "D12": response = await client.send("GET", "/health/version")
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
        #expect(Set(all.map(\.id)) == Set((1...12).map { "D\($0)" }), "a new defect needs a trigger in this test")
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
                    case .conformance:
                        Issue.record("\(id): a conformance defect in PlantedDefects.all (APISpecTests cover C1/C2)")
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

    /// C3 (a conformance defect, found by `negative-accepted`): with `lenient` (and the defects) on, a script
    /// update takes a description over the 1024 characters the spec allows; creation refuses it either way,
    /// and so do the sound target and the defects without the leniency.
    @Test(arguments: [(true, true), (true, false), (false, true)])
    func c3AnUpdateAcceptsAnOverlongDescription(defects: Bool, lenient: Bool) async throws {
        let long = String(repeating: "d", count: 1_025)
        try await withDemo(defects: defects, lenient: lenient) { server, engine in
            let client = DemoClient(engine: engine, server: server)
            await client.signUp("celia")
            let scriptID = try #require(await client.createScript())
            #expect(await client.sendJSON("PUT", "/scripts/\(scriptID)", ["description": long]).status == (defects && lenient ? 200 : 422))
            #expect(await client.sendJSON("PUT", "/scripts/\(scriptID)", ["description": String(long.dropLast())]).status == 200)
            #expect(await client.sendJSON("POST", "/scripts", ["name": "n", "script": "s", "description": long]).status == 422)
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
            // D8–D12 neighbours: a bare `*`, JSON on DELETE, ordinary label keys, 32 levels are all sound.
            #expect(await client.send("GET", "/user/settings", headers: [HTTPHeader("If-None-Match", "*")]).status == 304)
            #expect(await client.send("GET", "/user/settings", headers: [HTTPHeader("If-Match", "\"nope\"")]).status == 412)
            let settings = await client.send("GET", "/user/settings")
            let etag = try #require(settings.headers.value(named: "ETag"))
            #expect(await client.send("GET", "/user/settings", headers: [HTTPHeader("If-None-Match", etag)]).status == 304)
            #expect(await client.send("DELETE", "/scripts/abc", headers: [HTTPHeader("Content-Type", "application/json")]).status == 404)
            #expect(await client.sendRawJSON("POST", "/alerts/grafana", #"{"alerts":[{"labels":{"proto":"","a.b":""}}]}"#).status == 200)
            let fine = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
            #expect(await client.sendRawJSON("PUT", "/scripts/abc", fine).status == 422)
            let live = await client.send("GET", "/health/live")
            #expect(String(decoding: live.body, as: UTF8.self).contains("/api/v1/health/version"))
        }
    }

    /// `/openapi.json` is OpenAPI 3.1 and lists exactly the routes the server answers (with defects off,
    /// every listed GET without path parameters answers something other than 404/405).
    @Test func openAPIDocumentIsTruthful() async throws {
        try await withDemo(defects: false) { server, engine in
            let response = await engine.send(EngineRequest(method: "GET", url: server.baseURL + "/openapi.json", timeoutMs: 5_000))
            #expect(response.status == 200)
            let doc = try StampedeCore.JSONValue(parsing: String(decoding: response.body, as: UTF8.self))
            #expect(doc[key: "openapi"]?.stringValue == "3.1.0")
            let paths = try #require(doc[key: "paths"]?.objectMembers)
            var listed: Set<String> = []
            for path in paths {
                for method in path.value.objectMembers ?? [] { listed.insert(method.key.uppercased() + " " + path.key) }
            }
            var served: Set<String> = []
            for route in Self.servedRoutes {
                let concrete = route.1.replacingOccurrences(of: "{id}", with: "x")
                #expect(DemoAPI.route(path: "/api/v1" + concrete) != nil, "\(route.1) is not routed")
                served.insert(route.0 + " " + route.1)
            }
            #expect(listed == served)
            let client = DemoClient(engine: engine, server: server)
            await client.signUp("olga")
            for route in Self.servedRoutes where route.0 == "GET" && !route.1.contains("{") && !route.1.hasPrefix("/events") {
                let status = await client.send("GET", route.1).status
                #expect(status != 404 && status != 405, "\(route.1): \(status)")
            }
        }
    }

    /// Every (method, path) the demo API serves, as the OpenAPI document must list them.
    static let servedRoutes: [(String, String)] = [
        ("POST", "/auth/register"), ("POST", "/auth/login"), ("POST", "/auth/logout"), ("GET", "/auth/me"), ("POST", "/execute"),
        ("GET", "/executions/{id}/result"), ("GET", "/executions/{id}/events"), ("GET", "/events/executions/{id}"),
        ("GET", "/scripts"), ("POST", "/scripts"), ("GET", "/scripts/{id}"), ("PUT", "/scripts/{id}"), ("DELETE", "/scripts/{id}"),
        ("GET", "/user/settings"), ("PUT", "/user/settings/theme"), ("GET", "/notifications"), ("POST", "/notifications/mark-all-read"),
        ("POST", "/alerts/grafana"), ("GET", "/health/live"), ("GET", "/health/version"),
    ]

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
