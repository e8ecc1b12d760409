public import StampedeCore
import StampedeHTTP

/// A small corpus of the demo API, shaped like a recording: identity steps with roles, extract
/// rules, a poll step, an SSE step, CSRF from the cookie.
public enum TestCorpus {
    static let json = "application/json"
    static let form = "application/x-www-form-urlencoded"

    /// One step of the demo API expecting `expect`, with an optional JSON body.
    public static func step(
        _ method: String, _ path: String, query: [QueryItem] = [], json body: String? = nil, expect: Int,
        extract: [ExtractRule] = [], stream: StreamOptions? = nil, poll: PollOptions? = nil, role: StepRole? = nil
    ) -> Step {
        var headers = [HTTPHeader("Accept", "application/json")]
        var bodyTemplate: BodyTemplate?
        if let body {
            headers.append(HTTPHeader("Content-Type", json))
            bodyTemplate = BodyTemplate(text: body, contentType: json)
        }
        return Step(
            request: RequestTemplate(method: method, path: path, query: query, headers: headers, body: bodyTemplate),
            expect: Expectation(status: expect), extract: extract, stream: stream, poll: poll, role: role)
    }

    /// Registers the client's account (role `register`).
    public static var register: Step {
        step(
            "POST", "/api/v1/auth/register",
            json: #"{"username":"{{vu.username}}","email":"{{vu.email}}","password":"{{vu.password}}"}"#, expect: 201,
            role: .register)
    }

    /// Logs in with a form body (role `login`).
    public static var login: Step {
        Step(
            request: RequestTemplate(
                method: "POST", path: "/api/v1/auth/login", headers: [HTTPHeader("Content-Type", form)],
                body: BodyTemplate(text: "username={{vu.username}}&password={{vu.password}}", contentType: form)),
            expect: Expectation(status: 200), role: .login)
    }

    /// Runs a script and binds `execution_id`.
    public static var execute: Step {
        step(
            "POST", "/api/v1/execute", json: #"{"script":"print(1)","lang":"python","lang_version":"3.11"}"#, expect: 200,
            extract: [ExtractRule(variable: "execution_id", source: .json, expression: "/execution_id")])
    }

    /// The corpus: account, execution with poll and events, SSE, script CRUD and more sessions.
    public static var sessions: [Session] {
        [
            Session(id: "account", steps: [register, login, step("GET", "/api/v1/auth/me", expect: 200)]),
            Session(
                id: "execute-poll", weight: 2,
                steps: [
                    execute,
                    step(
                        "GET", "/api/v1/executions/{{execution_id}}/result", expect: 200,
                        poll: PollOptions(pointer: "/status", until: ["completed", "failed", "timeout", "cancelled", "error"], maxAttempts: 5, intervalMs: 100)),
                    step("GET", "/api/v1/executions/{{execution_id}}/events", query: [QueryItem("limit", "50")], expect: 200),
                ]),
            Session(
                id: "execute-sse",
                steps: [
                    execute,
                    step("GET", "/api/v1/events/executions/{{execution_id}}", expect: 200, stream: StreamOptions(windowSeconds: 2)),
                ]),
            Session(
                id: "scripts",
                steps: [
                    step(
                        "POST", "/api/v1/scripts", json: #"{"name":"s-{{random.hex}}","script":"print(2)"}"#, expect: 201,
                        extract: [ExtractRule(variable: "script_id", source: .json, expression: "/id")]),
                    step("GET", "/api/v1/scripts", expect: 200),
                    step("GET", "/api/v1/scripts/{{script_id}}", expect: 200),
                    step("PUT", "/api/v1/scripts/{{script_id}}", json: #"{"name":"renamed","script":"print(3)"}"#, expect: 200),
                    step("DELETE", "/api/v1/scripts/{{script_id}}", expect: 204),
                ]),
            Session(
                id: "settings",
                steps: [
                    step("GET", "/api/v1/user/settings/", expect: 200),
                    step("PUT", "/api/v1/user/settings/theme", json: #"{"theme":"dark"}"#, expect: 200),
                    step("GET", "/api/v1/notifications", query: [QueryItem("limit", "10")], expect: 200),
                    step("POST", "/api/v1/notifications/mark-all-read", expect: 204),
                ]),
            Session(
                id: "grafana", weight: 0.5,
                steps: [
                    step("POST", "/api/v1/alerts/grafana", json: #"{"status":"firing","alerts":[{"labels":{"a":"b"}}]}"#, expect: 200),
                    step("GET", "/api/v1/health/live", expect: 200),
                ]),
        ]
    }
}
