import DemoTarget
import Foundation
import StampedeCore
import StampedeEngine
import StampedeHTTP
import Testing

/// 401 / 403 / 404 / 405 / 409 / 413 / 422 answers of a sound backend.
@Suite struct ErrorStatusTests {
    @Test(arguments: [
        #"{"username":"ab","email":"a@example.com","password":"password123"}"#,
        #"{"username":"has space","email":"a@example.com","password":"password123"}"#,
        #"{"username":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","email":"a@example.com","password":"password123"}"#,
        #"{"username":"erin","email":"no-at-sign","password":"password123"}"#,
        #"{"username":"erin","email":"a@b@example.com","password":"password123"}"#,
        #"{"username":"erin","email":"a@localhost","password":"password123"}"#,
        #"{"username":"erin","email":"a@example.com","password":"short"}"#,
        #"{"username":"erin","email":"a@example.com","password":"\#(String(repeating: "p", count: 65))"}"#,
        #"{"username":12345,"email":"a@example.com","password":"password123"}"#,
        #"{"username":"erin","email":["a@example.com"],"password":"password123"}"#,
        #"{"username":"erin","email":"a@example.com"}"#,
        #"["erin"]"#,
        #"{"username":"#,
        "",
    ])
    func registerValidation(body: String) async throws {
        try await withDemo { server, engine in
            let client = DemoClient(engine: engine, server: server)
            let response = await client.sendRawJSON("POST", "/auth/register", body)
            #expect(response.status == 422)
            #expect(response.detail != nil)
        }
    }

    @Test func duplicateUsernameAndWrongPassword() async throws {
        try await withDemo { server, engine in
            let client = DemoClient(engine: engine, server: server)
            #expect(await client.register("frank").status == 201)
            let duplicate = await client.register("frank")
            #expect(duplicate.status == 409)
            #expect(duplicate.detail as? String == "Username already registered")
            #expect(await client.login("frank", password: "wrongpassword").status == 401)
            #expect(await client.login("nobody").status == 401)
            #expect(client.accessToken == nil)
            let missing = await client.send("POST", "/auth/login", body: Array("username=frank".utf8), csrf: false)
            #expect(missing.status == 422)
        }
    }

    @Test(arguments: [
        ("GET", "/auth/me"), ("POST", "/execute"), ("GET", "/executions/x/result"), ("GET", "/executions/x/events"),
        ("GET", "/events/executions/x"), ("GET", "/scripts"), ("POST", "/scripts"), ("GET", "/scripts/x"),
        ("PUT", "/scripts/x"), ("DELETE", "/scripts/x"), ("GET", "/user/settings/"), ("PUT", "/user/settings/theme"),
        ("GET", "/notifications"), ("POST", "/notifications/mark-all-read"),
    ])
    func authenticatedRoutesNeedASession(method: String, path: String) async throws {
        try await withDemo { server, engine in
            let client = DemoClient(engine: engine, server: server)
            // No body on GET: a GET with a body is sent as POST by the engine (see report).
            let response = method == "GET" ? await client.send(method, path) : await client.sendRawJSON(method, path, "{}")
            #expect(response.status == 401)
            #expect(response.detail as? String == "Not authenticated")
            let forged = await client.send(method, path, headers: [HTTPHeader("Cookie", "access_token=forged")])
            #expect(forged.status == 401)
        }
    }

    @Test func csrfDoubleSubmitIsEnforced() async throws {
        try await withDemo { server, engine in
            let client = DemoClient(engine: engine, server: server)
            await client.signUp("grace")
            let writes: [(String, String, String)] = [
                ("POST", "/execute", #"{"script":"print(1)"}"#),
                ("POST", "/scripts", #"{"name":"n","script":"s"}"#),
                ("PUT", "/user/settings/theme", #"{"theme":"dark"}"#),
                ("POST", "/notifications/mark-all-read", ""),
            ]
            for (method, path, body) in writes {
                let noHeader = await client.sendRawJSON(method, path, body, csrf: false)
                #expect(noHeader.status == 403, "\(method) \(path) without X-CSRF-Token")
                #expect(noHeader.detail as? String == "CSRF validation failed")
                let wrong = await client.send(
                    method, path, body: Array(body.utf8),
                    headers: [HTTPHeader("Content-Type", "application/json"), HTTPHeader("X-CSRF-Token", "not-the-token")],
                    csrf: false
                )
                #expect(wrong.status == 403, "\(method) \(path) with a mismatched token")
            }
            // Reads need no CSRF header; the right header makes the same write pass.
            #expect(await client.send("GET", "/auth/me", csrf: false).status == 200)
            #expect(await client.sendJSON("PUT", "/user/settings/theme", ["theme": "light"]).status == 200)
        }
    }

    @Test func oversizedScriptsAre413() async throws {
        try await withDemo { server, engine in
            let client = DemoClient(engine: engine, server: server)
            await client.signUp("heidi")
            let big = String(repeating: "x", count: 64 * 1024 + 1)
            #expect(await client.sendJSON("POST", "/scripts", ["name": "big", "script": big]).status == 413)
            #expect(await client.sendJSON("POST", "/execute", ["script": big]).status == 413)
            let exact = String(repeating: "x", count: 64 * 1024)
            #expect(await client.sendJSON("POST", "/scripts", ["name": "exact", "script": exact]).status == 201)
            let huge = [UInt8](repeating: UInt8(ascii: "a"), count: (1 << 20) + 1)
            let tooLarge = await client.send("POST", "/scripts", body: huge, headers: [HTTPHeader("Content-Type", "application/json")])
            #expect(tooLarge.status == 413)
        }
    }

    @Test func validationOfQueriesAndBodies() async throws {
        try await withDemo { server, engine in
            let client = DemoClient(engine: engine, server: server)
            await client.signUp("ivan")
            for query in ["limit=abc", "limit=0", "limit=1001", "offset=-1", "offset=x", "limit=%zz"] {
                #expect(await client.send("GET", "/scripts?\(query)").status == 422, "scripts?\(query)")
            }
            #expect(await client.send("GET", "/notifications?limit=abc").status == 422)
            #expect(await client.send("GET", "/notifications?offset=-5").status == 422)
            #expect(await client.send("GET", "/notifications?unread_only=maybe").status == 422)
            #expect(await client.sendJSON("PUT", "/user/settings/theme", ["theme": "purple"]).status == 422)
            #expect(await client.sendRawJSON("PUT", "/user/settings/theme", #"{"theme":null}"#).status == 422)
            #expect(await client.sendJSON("POST", "/scripts", ["name": "", "script": "x"]).status == 422)
            #expect(await client.sendJSON("POST", "/scripts", ["name": String(repeating: "n", count: 129), "script": "x"]).status == 422)
            #expect(await client.sendJSON("POST", "/scripts", ["name": 5, "script": "x"]).status == 422)
            #expect(await client.sendJSON("POST", "/execute", ["script": "x", "lang": "ruby"]).status == 422)
            #expect(await client.sendJSON("POST", "/execute", ["script": "x", "lang_version": "2.7"]).status == 422)
            #expect(await client.sendJSON("POST", "/execute", ["script": ["x"]]).status == 422)
            #expect(await client.sendRawJSON("POST", "/execute", "not json").status == 422)
        }
    }

    @Test func unknownRoutesAre404AndWrongMethods405() async throws {
        try await withDemo { server, engine in
            let client = DemoClient(engine: engine, server: server)
            await client.signUp("judy")
            for path in ["/nope", "/auth", "/scripts/a/b", "/executions/x", "/%ZZ", "/events/executions"] {
                #expect(await client.send("GET", path).status == 404, "GET \(path)")
            }
            #expect(await engine.send(EngineRequest(url: client.baseURL + "/")).status == 404)
            let wrong = await client.send("DELETE", "/auth/me")
            #expect(wrong.status == 405)
            #expect(wrong.header("Allow") == "GET")
            #expect(await client.send("GET", "/auth/register").status == 405)
            #expect(await client.send("POST", "/health/live").status == 405)
            #expect(await client.send("OPTIONS", "/scripts").status == 405)
            #expect((400..<500).contains(await client.send("BREW", "/scripts").status))
            #expect(await client.send("PUT", "/notifications").status == 405)
        }
    }
}
