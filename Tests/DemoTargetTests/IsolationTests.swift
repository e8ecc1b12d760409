import DemoTarget
import StampedeCore
import StampedeEngine
import Testing

/// Users see only their own scripts, executions and notifications.
@Suite struct IsolationTests {
    @Test func anotherUsersResourcesAre404() async throws {
        try await withDemo { server, engine in
            let owner = DemoClient(engine: engine, server: server)
            let other = DemoClient(engine: engine, server: server)
            await owner.signUp("owner")
            await other.signUp("other")

            let scriptID = try #require(await owner.createScript())
            let executionID = try #require(await owner.execute("print('mine')"))
            _ = await waitForResult(owner, executionID)

            #expect(await other.send("GET", "/scripts/\(scriptID)").status == 404)
            #expect(await other.sendJSON("PUT", "/scripts/\(scriptID)", ["name": "stolen"]).status == 404)
            #expect(await other.send("DELETE", "/scripts/\(scriptID)").status == 404)
            #expect(await other.send("GET", "/executions/\(executionID)/result").status == 404)
            #expect(await other.send("GET", "/executions/\(executionID)/events").status == 404)
            #expect(await other.send("GET", "/events/executions/\(executionID)").status == 404)
            #expect((await other.send("GET", "/scripts").jsonValue as? [Any])?.isEmpty == true)
            #expect(await other.send("GET", "/notifications").json?["total"] as? Int == 0)

            // The owner still sees everything, untouched.
            #expect(await owner.send("GET", "/scripts/\(scriptID)").json?["name"] as? String == "demo")
            #expect(await owner.send("GET", "/executions/\(executionID)/result").status == 200)
            #expect(await owner.send("GET", "/notifications").json?["total"] as? Int == 1)
        }
    }
}
