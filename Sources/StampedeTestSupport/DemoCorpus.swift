public import StampedeCore
import StampedeHTTP

/// A small corpus shaped like a recording of the demo API, for tests and benchmarks when no
/// recorded corpus is at hand.
public enum DemoCorpus {
    static let json = "application/json"
    static let form = "application/x-www-form-urlencoded"

    static func post(_ path: String, json body: String, csrf: Bool = true) -> RequestTemplate {
        var headers = [HTTPHeader("Content-Type", json), HTTPHeader("Accept", "application/json")]
        if csrf { headers.append(HTTPHeader("X-CSRF-Token", "{{cookie.csrf_token}}")) }
        return RequestTemplate(method: "POST", path: path, headers: headers, body: BodyTemplate(text: body, contentType: json))
    }

    static func get(_ path: String, query: [QueryItem] = []) -> RequestTemplate {
        RequestTemplate(method: "GET", path: path, query: query, headers: [HTTPHeader("Accept", "application/json")])
    }

    static var register: Step {
        Step(
            request: post(
                "/api/v1/auth/register",
                json: #"{"username":"{{vu.username}}","email":"{{vu.email}}","password":"{{vu.password}}"}"#, csrf: false),
            expect: Expectation(status: 200), role: .register, endpoint: "POST /api/v1/auth/register")
    }

    static var login: Step {
        Step(
            request: RequestTemplate(
                method: "POST", path: "/api/v1/auth/login", headers: [HTTPHeader("Content-Type", form)],
                body: BodyTemplate(text: "username={{vu.username}}&password={{vu.password}}", contentType: form)),
            expect: Expectation(status: 200), role: .login, endpoint: "POST /api/v1/auth/login")
    }

    /// Sessions covering register, login, execute, scripts CRUD, settings, notifications and
    /// the Grafana webhook.
    public static var sessions: [Session] {
        [
            Session(
                id: "demo-execute", name: "execute and poll",
                steps: [
                    register, login,
                    Step(request: get("/api/v1/auth/me"), expect: Expectation(status: 200)),
                    Step(
                        request: post(
                            "/api/v1/execute",
                            json: #"{"script":"print(\"hello\")\nfor i in range(3):\n    print(i)","lang":"python","lang_version":"3.11"}"#),
                        expect: Expectation(status: 200),
                        extract: [ExtractRule(variable: "execution_id", source: .json, expression: "/execution_id")]),
                    Step(
                        request: get("/api/v1/executions/{{execution_id}}/result"), expect: Expectation(status: 200),
                        poll: PollOptions(pointer: "/status", until: ["completed", "failed", "timeout", "cancelled", "error"])),
                    Step(request: get("/api/v1/executions/{{execution_id}}/events", query: [QueryItem("limit", "50")])),
                ]),
            Session(
                id: "demo-scripts", name: "saved scripts CRUD",
                steps: [
                    login,
                    Step(
                        request: post("/api/v1/scripts", json: #"{"name":"script-{{random.uuid}}","script":"print(1 + 1)"}"#),
                        extract: [ExtractRule(variable: "script_id", source: .json, expression: "/id")]),
                    Step(request: get("/api/v1/scripts", query: [QueryItem("limit", "20"), QueryItem("offset", "0")])),
                    Step(
                        request: RequestTemplate(
                            method: "PUT", path: "/api/v1/scripts/{{script_id}}",
                            headers: [HTTPHeader("Content-Type", json), HTTPHeader("X-CSRF-Token", "{{cookie.csrf_token}}")],
                            body: BodyTemplate(text: #"{"name":"renamed","script":"print(2)","tags":["a","b"],"public":false,"version":3}"#, contentType: json))),
                    Step(
                        request: RequestTemplate(
                            method: "DELETE", path: "/api/v1/scripts/{{script_id}}",
                            headers: [HTTPHeader("X-CSRF-Token", "{{cookie.csrf_token}}")]),
                        expect: Expectation(status: 204)),
                ]),
            Session(
                id: "demo-settings", name: "settings and notifications",
                steps: [
                    login,
                    Step(request: get("/api/v1/user/settings/")),
                    Step(
                        request: RequestTemplate(
                            method: "PUT", path: "/api/v1/user/settings/theme",
                            headers: [HTTPHeader("Content-Type", json), HTTPHeader("X-CSRF-Token", "{{cookie.csrf_token}}")],
                            body: BodyTemplate(text: #"{"theme":"dark"}"#, contentType: json))),
                    Step(request: get("/api/v1/notifications", query: [QueryItem("limit", "10"), QueryItem("offset", "0")])),
                    Step(
                        request: RequestTemplate(
                            method: "POST", path: "/api/v1/notifications/mark-all-read",
                            headers: [HTTPHeader("X-CSRF-Token", "{{cookie.csrf_token}}")]),
                        expect: Expectation(status: 204)),
                ]),
            Session(
                id: "demo-grafana", name: "grafana webhook",
                steps: [
                    Step(
                        request: post(
                            "/api/v1/alerts/grafana",
                            json: #"{"status":"firing","receiver":"stampede","alerts":[{"status":"firing","labels":{"alertname":"HighLatency","severity":"warning","instance":"10.0.0.7:9100"},"annotations":{"summary":"p99 above 500ms"},"valueString":"[ var='A' value=0.73 ]"}],"groupLabels":{"alertname":"HighLatency"},"commonLabels":{"severity":"warning"},"commonAnnotations":{},"externalURL":"http://grafana.local/","version":"1","truncatedAlerts":0}"#,
                            csrf: false)),
                    Step(request: get("/api/v1/health/live")),
                ]),
        ]
    }
}
