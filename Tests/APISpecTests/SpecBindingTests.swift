import APISpec
import DemoTarget
import StampedeCore
import StampedeHTTP
import Testing

/// Binding the demo spec's operations to corpora/demo.
@Suite struct SpecBindingTests {
    @Test func unrecordedOperationsAreBoundToRecordedVariables() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        let spec = try await DemoSpec.spec(from: server)
        await server.stop()
        let binding = SpecBinding(spec: spec, sessions: try DemoSpec.corpus())
        func bound(_ id: String) throws -> BoundOperation { try #require(binding.operations.first { $0.operation.id == id }) }

        // Recorded: the recorded request is used as it is.
        let result = try bound("result")
        #expect(result.recorded && result.request.path == "/api/v1/executions/{{execution_id}}/result")
        // GET /scripts/{id} is never recorded: `id` comes from the variable PUT/DELETE /scripts/{{script_id}} use.
        let get = try bound("getScript")
        #expect(!get.recorded)
        #expect(get.request.path == "/api/v1/scripts/{{script_id}}")
        #expect(get.bindings.first?.source == .collection && get.hasRealState)
        // Unrecorded writes carry the recorded CSRF header; bodies are valid samples of their schema.
        let logout = try bound("logout")
        #expect(logout.request.headers.contains(named: "X-CSRF-Token"))
        let register = try bound("register")
        #expect(register.recorded)
        let version = try bound("version")
        #expect(!version.recorded && version.request.path == "/api/v1/health/version")
        // One weight-0 session per operation, for the monkeys only.
        #expect(binding.sessions.count == spec.operations.count)
        #expect(binding.sessions.allSatisfy { $0.weight == 0 && $0.id.hasPrefix(SpecBinding.sessionPrefix) })
    }

    @Test func checksParseAndRejectUnknownNames() throws {
        #expect(try ConformanceCheck.parse("status,content-type") == [.status, .contentType])
        #expect(try ConformanceCheck.parse("all").contains(.negativeAccepted))
        #expect(!ConformanceCheck.defaults.contains(.negativeAccepted))
        #expect(throws: SpecError.self) { try ConformanceCheck.parse("status,nope") }
    }

    @Test func theCheckerJudgesStatusContentTypeAndBody() throws {
        let text = #"""
            {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/items/{id}": {"get": {
              "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
              "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object",
                "required": ["name"], "properties": {"name": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}}}}}}},
                "404": {"description": "none"}}}}}}
            """#
        let spec = try APISpecification(document: SpecLoader.load(data: Array(text.utf8), name: "t", directory: nil))
        let checker = ConformanceChecker(spec: spec, checks: ConformanceCheck.defaults, validator: SpecValidation.validator)
        func judge(_ status: Int, _ type: String?, _ body: String) -> String? {
            checker.check(
                .init(method: "GET", path: "/items/7", status: status, contentType: type, body: Array(body.utf8), bodyComplete: true))?.text
        }
        #expect(judge(200, "application/json; charset=utf-8", #"{"name": "a", "tags": ["x"]}"#) == nil)
        #expect(judge(404, nil, "") == nil)
        #expect(judge(500, "text/plain", "boom") == nil)  // a server_error, not a conformance failure
        #expect(judge(418, "application/json", "{}") == "status: status 418 not declared")
        #expect(judge(200, "text/html", "<p>") == "content-type: Content-Type text/html not declared for 200")
        #expect(judge(200, "application/json", #"{"tags": []}"#) == "body-schema: 200 body (root): required")
        #expect(judge(200, "application/json", #"{"name": 1}"#) == "body-schema: 200 body /name: type")
        #expect(judge(200, "application/json", #"{"name": "a", "tags": [1]}"#) == "body-schema: 200 body /tags/*: type")
        #expect(checker.check(.init(method: "GET", path: "/other", status: 418, contentType: nil, body: [], bodyComplete: true)) == nil)
        // A path with a trailing slash, plain or encoded, is another URL (Kinto redirects it with an HTML 307).
        for path in ["/items/7/", "/items/7%2F", "/items/7%2f"] {
            #expect(checker.check(.init(method: "GET", path: path, status: 307, contentType: "text/html", body: Array("<a>".utf8), bodyComplete: true)) == nil)
        }
        #expect(judge(307, "text/html", "<a>") == "status: status 307 not declared")
    }
}
