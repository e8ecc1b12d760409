import Correlation
import Foundation
import StampedeCore
import StampedeHTTP
import Testing

/// The recorder-side defects found on third-party servers (issue #11): constants taken for IDs,
/// IDs in bodies and queries, names clients chose, credentials, tokens, XSRF cookies.
@Suite("Correlation on third-party API shapes")
struct RealAPICorrelationTests {
    static let json = [HTTPHeader("Content-Type", "application/json")]
    static let form = [HTTPHeader("Content-Type", "application/x-www-form-urlencoded")]

    static func exchange(
        _ method: String, _ path: String, query: [QueryItem] = [], headers: [HTTPHeader] = [], body: String = "",
        status: Int = 200, responseHeaders: [HTTPHeader] = [], response: String = "", at: Int64 = 0
    ) -> RecordedExchange {
        CorrelatorTests.exchange(
            method, path, query: query, headers: headers, body: body, status: status, responseHeaders: responseHeaders,
            response: response, at: at)
    }

    static func basic(_ user: String, _ password: String) -> String {
        "Basic " + Base64.encode(Array("\(user):\(password)".utf8))
    }

    @Test("GET / answered 302 Location: /v2/ leaves v2 a constant; a created resource's id is still correlated")
    func redirectPrefixIsConstant() throws {
        let session = Correlator().session(id: "s", exchanges: [
            Self.exchange("GET", "/", status: 302, responseHeaders: [HTTPHeader("Location", "/v2/")]),
            Self.exchange("GET", "/v2/", response: #"{"version":"2"}"#, at: 10),
            Self.exchange("POST", "/v2/items", headers: Self.json, body: #"{"title":"x"}"#, status: 201,
                response: #"{"id":"8f14e45fceea167a"}"#, at: 20),
            Self.exchange("GET", "/v2/items/8f14e45fceea167a", at: 30),
            Self.exchange("DELETE", "/v2/items/8f14e45fceea167a", status: 204, at: 40),
        ])
        #expect(session.steps.map(\.request.path) == ["/", "/v2/", "/v2/items", "/v2/items/{{item_id}}", "/v2/items/{{item_id}}"])
        #expect(session.steps[0].extract.isEmpty)
        #expect(!session.variables.contains { $0.name == "resource_id" })
        #expect(session.steps[2].extract.map(\.expression) == ["/id"])
        #expect(session.unresolvedVariables().isEmpty)
    }

    @Test("a redirect after a GET, or to a plain word, is navigation; a redirect after a POST to a new id is a created resource")
    func redirectAfterPostIsAnID() {
        let session = Correlator().session(id: "s", exchanges: [
            Self.exchange("GET", "/app/home", status: 302, responseHeaders: [HTTPHeader("Location", "/app/dashboard")]),
            Self.exchange("POST", "/app/notes", headers: Self.form, body: "text=hi", status: 303,
                responseHeaders: [HTTPHeader("Location", "/app/notes/n7Qx2k")], at: 10),
            Self.exchange("GET", "/app/dashboard", at: 20),
            Self.exchange("GET", "/app/notes/n7Qx2k", at: 30),
            Self.exchange("POST", "/app/login", headers: Self.form, body: "password=pw", status: 302,
                responseHeaders: [HTTPHeader("Location", "/app/home")], at: 40),
            Self.exchange("GET", "/app/home", at: 50),
        ])
        #expect(session.steps[5].request.path == "/app/home" && session.steps[4].extract.isEmpty)
        #expect(session.steps[2].request.path == "/app/dashboard")
        #expect(session.steps[3].request.path == "/app/notes/{{note_id}}")
        #expect(session.steps[0].extract.isEmpty && session.steps[1].extract.count == 1)
    }

    @Test("a file the server named (Location) renamed by PATCH {\"path\":\"report.txt\"} becomes report-{{vu.tag}}.txt; a Location with a trailing slash still extracts")
    func renameTarget() throws {
        let session = Correlator().session(id: "s", exchanges: [
            Self.exchange("POST", "/api/contents", headers: Self.json, body: #"{"type":"file","ext":".txt"}"#, status: 201,
                responseHeaders: [HTTPHeader("Location", "/api/contents/untitled.txt")], response: #"{"name":"untitled.txt","path":"untitled.txt"}"#),
            Self.exchange("PATCH", "/api/contents/untitled.txt", headers: Self.json, body: #"{"path":"report.txt"}"#,
                response: #"{"name":"report.txt","path":"report.txt"}"#, at: 10),
            Self.exchange("GET", "/api/contents/report.txt", query: [QueryItem("type", "file")], at: 20),
            Self.exchange("DELETE", "/api/contents/report.txt", status: 204, at: 30),
            Self.exchange("POST", "/api/dirs", status: 201, responseHeaders: [HTTPHeader("Location", "/api/dirs/d41d8c/")], at: 40),
            Self.exchange("GET", "/api/dirs/d41d8c/", at: 50),
        ])
        #expect(session.steps.map(\.request.path) == [
            "/api/contents", "/api/contents/{{content_id}}", "/api/contents/report-{{vu.tag}}.txt", "/api/contents/report-{{vu.tag}}.txt",
            "/api/dirs", "/api/dirs/{{dir_id}}/",
        ])
        #expect(session.steps[1].request.body?.text == #"{"path":"report-{{vu.tag}}.txt"}"#)
        let rule = try #require(session.steps[4].extract.first)
        var response = ResponseView(body: [], header: { $0 == "Location" ? "http://127.0.0.1:9/api/dirs/77aa00/" : nil }, cookie: { _ in nil })
        #expect(response.value(of: rule) == "77aa00")
    }

    @Test("ids from responses are correlated inside JSON bodies (whole leaves, number arrays, paths of a batch), form fields and query strings")
    func bodyFormAndQuery() throws {
        let record = "rec_7Hk2pQ9xLm"
        let session = Correlator().session(id: "s", exchanges: [
            Self.exchange("POST", "/records", headers: Self.json, body: #"{"title":"a"}"#, status: 201,
                response: #"{"data":{"id":"\#(record)","seq":42,"owner_id":42}}"#),
            Self.exchange("POST", "/batch", headers: Self.json,
                body: #"{"requests":[{"method":"DELETE","path":"/records/\#(record)"}],"owner_ids":[42],"note":"keep 42"}"#, at: 10),
            Self.exchange("POST", "/archive", headers: Self.form, body: "record_id=\(record)&reason=old", at: 20),
            Self.exchange("GET", "/search", query: [QueryItem("record", record), QueryItem("owner_id", "42"), QueryItem("page", "42")], at: 30),
        ])
        let batch = try #require(session.steps[1].request.body?.text)
        #expect(batch.contains(#""path":"/records/{{record_id}}""#))
        #expect(batch.contains(#""owner_ids":[{{owner_id}}]"#))
        #expect(batch.contains(#""note":"keep 42""#))
        #expect(session.steps[2].request.body?.text == "record_id={{record_id}}&reason=old")
        let query = session.steps[3].request.query.map { "\($0.name)=\($0.value ?? "")" }
        #expect(query == ["record={{record_id}}", "owner_id={{owner_id}}", "page=42"])
        #expect(Set(session.steps[0].extract.map(\.expression)) == ["/data/id", "/data/owner_id"])
        #expect(session.unresolvedVariables().isEmpty)
    }

    @Test("names the client chose and reused become name-{{vu.tag}}; two clients render different, path-safe names")
    func clientChosenNames() throws {
        let session = Correlator().session(id: "s", exchanges: [
            Self.exchange("GET", "/projects", response: #"{"projects":["gamma"],"help":"see /docs/alpha-release and alphabet"}"#),
            Self.exchange("POST", "/projects", headers: Self.json, body: #"{"id":"alpha","title":"Alpha"}"#, status: 201,
                response: #"{"id":"alpha","created":true}"#, at: 10),
            Self.exchange("PUT", "/projects/alpha/files/draft.txt", body: "hello", status: 201, at: 20),
            Self.exchange("MOVE", "/projects/alpha/files/draft.txt",
                headers: [HTTPHeader("Destination", "http://127.0.0.1:8080/projects/alpha/files/report.txt")], status: 201, at: 30),
            Self.exchange("GET", "/projects/alpha/files/report.txt", at: 40),
            Self.exchange("PUT", "/projects/alpha/settings/theme", headers: Self.json, body: #"{"theme":"dark"}"#, at: 50),
            Self.exchange("GET", "/projects/alpha/settings/theme", at: 60),
            Self.exchange("PUT", "/projects/gamma", status: 201, at: 70),
            Self.exchange("GET", "/projects/gamma", at: 80),
        ])
        let paths = session.steps.map(\.request.path)
        #expect(paths[1] == "/projects")
        #expect(session.steps[1].request.body?.text == #"{"id":"alpha-{{vu.tag}}","title":"Alpha"}"#)
        #expect(paths[2] == "/projects/alpha-{{vu.tag}}/files/draft-{{vu.tag}}.txt")
        #expect(session.steps[3].request.header("Destination") == "http://127.0.0.1:8080/projects/alpha-{{vu.tag}}/files/report-{{vu.tag}}.txt")
        #expect(paths[4] == "/projects/alpha-{{vu.tag}}/files/report-{{vu.tag}}.txt")
        // `theme` was updated (200), not created: it stays the target's word.
        #expect(paths[6] == "/projects/alpha-{{vu.tag}}/settings/theme")
        // `gamma` came from the server's list before the PUT: not the client's own name.
        #expect(paths[8] == "/projects/gamma")
        #expect(session.variables.contains { $0.name == "vu.tag" && $0.kind == .client })
        #expect(session.unresolvedVariables().isEmpty)

        var random = SystemRandomNumberGenerator()
        let rendered = [ClientIdentity(index: 1, runID: "Run-7x"), ClientIdentity(index: 12, runID: "Run-7x")].map { identity in
            Template.render(paths[4]) { BuiltinVariables.value(of: $0, identity: identity, cookie: { _ in nil }, random: &random) }
        }
        #expect(rendered[0] != rendered[1])
        for path in rendered {
            let segments = path.split(separator: "/")
            #expect(segments.count == 4 && segments.allSatisfy { $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) } })
            #expect(path.hasSuffix(".txt"))
        }
        #expect(ClientIdentity(index: 3, runID: "k2x9f3ab").tag == "k2x9f3ab3")
        #expect(ClientIdentity(index: 3, runID: "A_b").tag.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) })
    }

    @Test("a Basic credential the recording signed up itself becomes Basic {{vu.basic}}, its account vu.username/vu.password")
    func basicSignUp() throws {
        let session = Correlator().session(id: "s", exchanges: [
            Self.exchange("GET", "/v1/", response: #"{"project_name":"kinto"}"#),
            Self.exchange("PUT", "/v1/accounts/alice", headers: Self.json, body: #"{"data":{"password":"s3cret-pw"}}"#, status: 201,
                response: #"{"data":{"id":"alice","password":"$2b$hash"}}"#, at: 10),
            Self.exchange("GET", "/v1/buckets", headers: [HTTPHeader("Authorization", Self.basic("alice", "s3cret-pw"))], at: 20),
            Self.exchange("GET", "/v1/accounts/alice", headers: [HTTPHeader("Authorization", Self.basic("alice", "s3cret-pw"))], at: 30),
        ])
        #expect(session.steps[1].role == .register)
        #expect(session.steps[1].request.path == "/v1/accounts/{{vu.username}}")
        #expect(session.steps[1].request.body?.text == #"{"data":{"password":"{{vu.password}}"}}"#)
        #expect(session.steps[2].request.header("Authorization") == "Basic {{vu.basic}}")
        #expect(session.steps[3].request.path == "/v1/accounts/{{vu.username}}")
        #expect(Set(session.variables.map(\.name)).isSuperset(of: ["vu.username", "vu.password", "vu.basic"]))
        #expect(!session.variables.contains { $0.name.hasPrefix("secret.") })

        let identity = ClientIdentity(index: 2, runID: "r1", password: "pw:2")
        var random = SystemRandomNumberGenerator()
        let basic = try #require(BuiltinVariables.value(of: "vu.basic", identity: identity, cookie: { _ in nil }, random: &random))
        #expect(Base64.decode(basic).map { String(decoding: $0, as: UTF8.self) } == "loaduser_2_r1:pw:2")
    }

    @Test("distinct Authorization values get distinct secrets: authorization_basic, authorization_bearer, authorization_basic_2")
    func distinctSecrets() throws {
        let session = Correlator().session(id: "s", exchanges: [
            Self.exchange("GET", "/dav/", headers: [HTTPHeader("Authorization", Self.basic("admin", "pw1"))]),
            Self.exchange("GET", "/api/me", headers: [HTTPHeader("Authorization", "Bearer static-token-0123456789")], at: 10),
            Self.exchange("GET", "/dav/other", headers: [HTTPHeader("Authorization", Self.basic("other", "pw2"))], at: 20),
            Self.exchange("GET", "/dav/again", headers: [HTTPHeader("Authorization", Self.basic("admin", "pw1"))], at: 30),
        ])
        let headers = session.steps.map { $0.request.header("Authorization") }
        #expect(headers == [
            "Basic {{secret.authorization_basic}}", "Bearer {{secret.authorization_bearer}}",
            "Basic {{secret.authorization_basic_2}}", "Basic {{secret.authorization_basic}}",
        ])
        let origin = try #require(session.variables.first { $0.name == "secret.authorization_basic_2" }?.origin)
        #expect(origin.contains("STAMPEDE_SECRET_AUTHORIZATION_BASIC_2"))
        let encoded = String(decoding: try CorpusWriter.encode(session), as: UTF8.self)
        #expect(!encoded.contains("static-token") && !encoded.contains(Base64.encode(Array("admin:pw1".utf8))))
    }

    @Test("tokens a login returns (JSON field or header) and later sent as Bearer, X-Api-Key or ?token= are extracted, not secrets")
    func bearerFromLogin() throws {
        let token = "syt_YWxpY2U_qwertyuiopasdf_0a1b2c"
        let apiKey = "ak_9f8e7d6c5b4a3210"
        let session = Correlator().session(id: "s", exchanges: [
            Self.exchange("POST", "/_matrix/client/v3/register", headers: Self.json,
                body: #"{"username":"alice","password":"pw-123456","auth":{"type":"m.login.dummy"}}"#,
                response: #"{"user_id":"@alice:localhost","access_token":"syt_first_0123456789abcdef","device_id":"DEV1"}"#),
            Self.exchange("POST", "/_matrix/client/v3/login", headers: Self.json,
                body: #"{"type":"m.login.password","identifier":{"type":"m.id.user","user":"alice"},"password":"pw-123456"}"#,
                response: #"{"user_id":"@alice:localhost","access_token":"\#(token)","device_id":"DEV2"}"#, at: 10),
            Self.exchange("GET", "/_matrix/client/v3/account/whoami", headers: [HTTPHeader("Authorization", "Bearer \(token)")], at: 20),
            Self.exchange("POST", "/api/token", headers: Self.form, body: "grant_type=client_credentials", status: 200,
                responseHeaders: [HTTPHeader("X-Auth-Token", apiKey)], at: 30),
            Self.exchange("GET", "/api/items", query: [QueryItem("token", apiKey)], headers: [HTTPHeader("X-Api-Key", apiKey)], at: 40),
        ])
        #expect(session.steps[0].role == .register && session.steps[1].role == .login && session.steps[3].role == .login)
        #expect(session.steps[1].extract.map(\.expression) == ["/access_token"])
        #expect(session.steps[2].request.header("Authorization") == "Bearer {{access_token}}")
        #expect(session.steps[3].extract.map(\.expression) == ["X-Auth-Token"])
        #expect(session.steps[4].request.header("X-Api-Key") == "{{x_auth_token}}")
        #expect(session.steps[4].request.query.first?.value == "{{x_auth_token}}")
        #expect(session.steps[1].request.body?.text?.contains(#""user":"{{vu.username}}""#) == true)
        #expect(!session.variables.contains { $0.name.hasPrefix("secret.") })
        #expect(session.unresolvedVariables().isEmpty)
    }

    @Test("a form login echoing an _xsrf cookie uses {{cookie._xsrf}}; the GET that set it lists it in sets_cookies")
    func xsrfFormLogin() throws {
        let xsrf = "2|d5b3f1a3|8c0f2e6a4b9d7c1e3f5a|1764000000"
        let session = Correlator().session(id: "s", exchanges: [
            Self.exchange("GET", "/login", responseHeaders: [
                HTTPHeader("Set-Cookie", "_xsrf=\(xsrf); Path=/"), HTTPHeader("Set-Cookie", "old=; Max-Age=0"),
            ], response: "<form>…</form>"),
            Self.exchange("POST", "/login", headers: Self.form + [HTTPHeader("Cookie", "_xsrf=\(xsrf)")],
                body: "_xsrf=" + PercentEncoding.encode(xsrf) + "&username=alice&password=pw-123456", status: 302,
                responseHeaders: [HTTPHeader("Location", "/home"), HTTPHeader("Set-Cookie", "sid=s3ss10n; HttpOnly")], at: 10),
            Self.exchange("GET", "/home", headers: [HTTPHeader("Cookie", "_xsrf=\(xsrf); sid=s3ss10n")], at: 20),
        ])
        #expect(session.steps[0].setsCookies == ["_xsrf"])
        #expect(session.steps[1].setsCookies == ["sid"])
        #expect(session.steps[2].setsCookies.isEmpty)
        #expect(session.steps[1].role == .login)
        #expect(session.steps[1].request.body?.text == "_xsrf={{cookie._xsrf}}&username=alice&password={{vu.password}}")
        #expect(session.variables.contains { $0.name == "cookie._xsrf" && $0.kind == .cookie })
        let encoded = String(decoding: try CorpusWriter.encode(session), as: UTF8.self)
        #expect(encoded.contains(#""sets_cookies":["_xsrf"]"#) && !encoded.contains("d5b3f1a3"))
    }

    @Test("login and register are recognised by common shapes", arguments: [
        ("POST", "/login", "username=a&password=b", StepRole.login),
        ("POST", "/session/new", "user=a&password=b", .login),
        ("POST", "/accounts", "name=a&password=b", .register),
        ("PUT", "/v1/accounts/bob", "password=b", .register),
        ("POST", "/_matrix/client/v3/login", "", .login),
        ("POST", "/oauth/token", "grant_type=password", .login),
        ("POST", "/api/token", "", .login),
        ("POST", "/auth/register", "", .register),
        ("GET", "/logout", "", .logout),
    ])
    func roles(method: String, path: String, body: String, role: StepRole) {
        let session = Correlator().session(id: "s", exchanges: [Self.exchange(method, path, headers: Self.form, body: body)])
        #expect(session.steps[0].role == role)
    }

    @Test("a password change or a settings PUT is not a login")
    func notLogins() {
        let session = Correlator().session(id: "s", exchanges: [
            Self.exchange("POST", "/me/password", headers: Self.form, body: "current_password=a&new_password=b"),
            Self.exchange("PUT", "/settings/theme", headers: Self.form, body: "theme=dark", at: 10),
            Self.exchange("PUT", "/users/42/credentials", headers: Self.form, body: "password=x", at: 20),
        ])
        #expect(session.steps.allSatisfy { $0.role == nil })
    }
}
