import DemoTarget
import Foundation
import StampedeCore
import StampedeEngine
import Testing

/// The recorded user flow, end to end through libcurl.
@Suite struct UserFlowTests {
    @Test func fullUserFlow() async throws {
        try await withDemo { server, engine in
            let client = DemoClient(engine: engine, server: server)

            let registered = await client.register("alice")
            #expect(registered.status == 201)
            #expect(registered.json?["username"] as? String == "alice")

            let login = await client.login("alice")
            #expect(login.status == 200)
            let setCookies = login.setCookies
            #expect(setCookies.contains { $0.hasPrefix("access_token=") && $0.contains("HttpOnly") })
            #expect(setCookies.contains { $0.hasPrefix("csrf_token=") && !$0.contains("HttpOnly") })
            let csrf = try #require(client.csrfToken)
            #expect(login.json?["csrf_token"] as? String == csrf)
            #expect(client.accessToken != csrf)

            let me = await client.send("GET", "/auth/me")
            #expect(me.status == 200)
            #expect(me.json?["username"] as? String == "alice")
            #expect(me.json?["email"] as? String == "alice@example.com")

            // Execute, then follow the SSE stream until the terminal event.
            let execute = await client.sendJSON("POST", "/execute", ["script": "print('hello')", "lang": "python", "lang_version": "3.11"])
            #expect(execute.status == 200)
            #expect(execute.json?["status"] as? String == "queued")
            let executionID = try #require(execute.json?["execution_id"] as? String)

            let stream = await client.send("GET", "/events/executions/\(executionID)", sse: SSEOptions(windowMs: 5_000, maxEvents: 64))
            #expect(stream.status == 200)
            #expect(stream.header("Content-Type") == "text/event-stream")
            let sse = try #require(stream.sse)
            #expect(!sse.cutByWindow, "the server must close the stream after the terminal event")
            let events = sse.events
            #expect(events.first?.event == "status")
            #expect(events.last?.event == "execution_completed")
            let first = try #require(events.first.flatMap { try? JSONSerialization.jsonObject(with: Data($0.data.utf8)) as? [String: Any] })
            for key in ["event_type", "execution_id", "timestamp", "event_id", "status", "result"] {
                #expect(first.keys.contains(key), "status event lacks \(key)")
            }
            #expect(first["execution_id"] as? String == executionID)

            let result = await client.send("GET", "/executions/\(executionID)/result")
            #expect(result.status == 200)
            #expect(result.json?["status"] as? String == "completed")
            #expect(result.json?["output"] as? String == "hello\n")

            let history = await client.send("GET", "/executions/\(executionID)/events?limit=50")
            #expect(history.status == 200)
            let statuses = (history.json?["events"] as? [[String: Any]])?.compactMap { $0["status"] as? String }
            #expect(statuses == ["queued", "running", "completed"])

            // Saved scripts: create → list → update → delete.
            let created = await client.sendJSON("POST", "/scripts", ["name": "first", "script": "print(1)"])
            #expect(created.status == 201)
            let scriptID = try #require(created.json?["id"] as? String)
            let list = await client.send("GET", "/scripts?limit=10&offset=0")
            #expect(list.status == 200)
            #expect((list.jsonValue as? [[String: Any]])?.compactMap { $0["id"] as? String } == [scriptID])
            let updated = await client.sendJSON("PUT", "/scripts/\(scriptID)", ["name": "renamed", "script": "print(2)"])
            #expect(updated.status == 200)
            #expect(updated.json?["name"] as? String == "renamed")
            #expect(await client.send("GET", "/scripts/\(scriptID)").json?["script"] as? String == "print(2)")
            #expect(await client.send("DELETE", "/scripts/\(scriptID)").status == 204)
            #expect(await client.send("GET", "/scripts/\(scriptID)").status == 404)

            // Settings and notifications.
            let settings = await client.send("GET", "/user/settings/")
            #expect(settings.status == 200)
            #expect(settings.json?["theme"] as? String == "auto")
            let theme = await client.sendJSON("PUT", "/user/settings/theme", ["theme": "dark"])
            #expect(theme.status == 200)
            #expect(await client.send("GET", "/user/settings/").json?["theme"] as? String == "dark")

            let inbox = await client.send("GET", "/notifications?limit=20&offset=0")
            #expect(inbox.status == 200)
            #expect(inbox.json?["unread_count"] as? Int == 1)
            let notification = (inbox.json?["notifications"] as? [[String: Any]])?.first
            #expect(notification?["execution_id"] as? String == executionID)
            #expect(await client.send("POST", "/notifications/mark-all-read").status == 204)
            #expect(await client.send("GET", "/notifications").json?["unread_count"] as? Int == 0)

            #expect(await client.send("GET", "/health/live").status == 200)
        }
    }

    @Test(arguments: [
        ("raise ValueError('x')", "failed"),
        ("print(1/0)", "failed"),
        ("print((1)", "failed"),
        ("x = 1\nprint(x)", "completed"),
    ])
    func executionOutcome(script: String, expected: String) async throws {
        try await withDemo { server, engine in
            let client = DemoClient(engine: engine, server: server)
            await client.signUp("bob")
            let id = try #require(await client.execute(script))
            let result = try #require(await waitForResult(client, id))
            #expect(result["status"] as? String == expected)
            if expected == "failed" {
                #expect((result["errors"] as? String)?.isEmpty == false)
                #expect(result["exit_code"] as? Int == 1)
            } else {
                #expect(result["exit_code"] as? Int == 0)
            }
        }
    }
}
