import DemoTarget
import Foundation
import StampedeCore
import StampedeHTTP
import StampedeTestSupport
import Testing

/// `crashes/<signature>.sh` run alone — bash, the real curl binary, a fresh login — against the
/// demo target gets the failure its crash record names.
@Suite(.serialized) struct ReproducerScriptTests {
    static let form = "application/x-www-form-urlencoded"

    /// register (JSON with `vu.*`) and login (form): the context of every record below.
    static var context: [Step] {
        let register = Step(
            request: RequestTemplate(
                method: "POST", path: "/api/v1/auth/register", headers: [HTTPHeader("Content-Type", "application/json")],
                body: BodyTemplate(
                    text: #"{"username":"{{vu.username}}","email":"{{vu.email}}","password":"{{vu.password}}"}"#,
                    contentType: "application/json")),
            role: .register)
        let login = Step(
            request: RequestTemplate(
                method: "POST", path: "/api/v1/auth/login", headers: [HTTPHeader("Content-Type", form)],
                body: BodyTemplate(text: "username={{vu.username}}&password={{vu.password}}", contentType: form)),
            role: .login)
        return [register, login]
    }

    static func record(_ signature: String, _ failing: RequestTemplate, failure: String, failureClass: String = "server_error") -> Session {
        Session(
            id: "crash-" + signature, steps: context + [Step(request: failing)],
            crash: CrashInfo(
                signature: signature, failure: failure, failureClass: failureClass,
                endpoint: failing.method + " " + failing.path, mutations: [], seed: 1, parentSession: "s", parentStep: 2,
                minimized: true, firstSeen: "2026-01-01T00:00:00Z", lastSeen: "2026-01-01T00:00:00Z", hits: 1,
                reproduceRate: 1, curl: ""))
    }

    /// Runs `body` with a demo target's base URL, stopping the target however `body` ends.
    static func withDemo(defects: Bool = true, _ body: (String) async throws -> Void) async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: defects))
        do {
            try await body(server.baseURL)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// Saves the record (which writes its script), runs `bash <script> BASE_URL`; exit status and output.
    static func run(_ record: Session, baseURL: String) throws -> (status: Int32, output: String, script: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stampede-repro-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The run's default URL is unreachable on purpose: the script must take $1.
        let store = CrashStore(directory: directory, reproducer: ReproducerSettings(baseURL: "http://127.0.0.1:9"))
        try store.save(record)
        let path = store.scriptPath(signature: try #require(record.crash?.signature))
        let script = try String(contentsOfFile: path, encoding: .utf8)
        let (status, output) = try BashScript.run([path, baseURL], unsetting: ["STAMPEDE_BASE_URL"])
        return (status, output, script)
    }

    @Test func reproducesAJSONBodyFindingBehindLoginWithItsOwnCookieAndCSRF() async throws {
        try await Self.withDemo { baseURL in
            // No X-CSRF-Token in the template: the replayer adds it on writes, and so must the script.
            let failing = RequestTemplate(
                method: "PUT", path: "/api/v1/user/settings/theme", headers: [HTTPHeader("Content-Type", "application/json")],
                body: BodyTemplate(text: #"{"theme":5}"#, contentType: "application/json"))
            let result = try Self.run(Self.record("00000000000000d1", failing, failure: "500"), baseURL: baseURL)
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("status 500"))
            #expect(result.output.contains("step 2: POST /api/v1/auth/login → 200"))
            #expect(!result.script.contains("--path-as-is"))
            // Same record without the defect: the script says so with a non-zero status.
            try await Self.withDemo(defects: false) { sound in
                let clean = try Self.run(Self.record("00000000000000d1", failing, failure: "500"), baseURL: sound)
                #expect(clean.status == 1, "\(clean.output)")
            }
        }
    }

    @Test func aBodySentWithoutContentTypeStaysWithoutOne() async throws {
        try await Self.withDemo { baseURL in
            let failing = RequestTemplate(method: "POST", path: "/api/v1/scripts", body: BodyTemplate(text: #"{"name":"n","script":"1"}"#))
            let result = try Self.run(
                Self.record("00000000000000d6", failing, failure: "CURLE_GOT_NOTHING", failureClass: "transport"), baseURL: baseURL)
            #expect(result.script.contains("-H 'Content-Type:'"))
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("status 000"))
        }
    }

    @Test func aBasicIdentityHeaderIsBuiltFromTheScriptsOwnAccount() async throws {
        try await Self.withDemo { baseURL in
            let failing = RequestTemplate(
                method: "GET", path: "/api/v1/scripts", headers: [HTTPHeader("Authorization", "Basic {{vu.basic}}")])
            let result = try Self.run(Self.record("00000000000000b1", failing, failure: "500"), baseURL: baseURL)
            #expect(result.script.contains("VU_BASIC="))
            #expect(!result.output.contains("unbound variable"), "\(result.output)")
            #expect(result.output.contains("status "), "\(result.output)")
        }
    }

    @Test func aDotSegmentPathIsSentAsIs() async throws {
        try await Self.withDemo { baseURL in
            // Squashed to /api/v1/scripts/aaa… this would be the long-id 500; as sent it routes nowhere.
            let failing = RequestTemplate(method: "GET", path: "/api/v1/scripts/./" + String(repeating: "a", count: 70))
            let result = try Self.run(Self.record("00000000000000a5", failing, failure: "404"), baseURL: baseURL)
            #expect(result.script.contains("--path-as-is"))
            #expect(result.status == 0, "\(result.output)")
            let squashed = RequestTemplate(method: "GET", path: "/api/v1/scripts/" + String(repeating: "a", count: 70))
            let control = try Self.run(Self.record("00000000000000a6", squashed, failure: "500"), baseURL: baseURL)
            #expect(control.status == 0, "\(control.output)")
        }
    }

    @Test func aLargeNonASCIIBodyGoesThroughAFileByteForByte() async throws {
        try await Self.withDemo { baseURL in
            let script = String(repeating: "print('é')\\n", count: 500)
            let body = #"{"script":""# + script + #"","lang":"python","lang_version":"3.1ü"}"#
            #expect(body.utf8.count > 6_000)
            let failing = RequestTemplate(
                method: "POST", path: "/api/v1/execute", headers: [HTTPHeader("Content-Type", "application/json")],
                body: BodyTemplate(text: body, contentType: "application/json"))
            let result = try Self.run(Self.record("00000000000000d5", failing, failure: "500"), baseURL: baseURL)
            #expect(result.script.contains(#"--data-binary '@'"$_tmp/request-3""#))
            #expect(result.script.contains("base64 -d"))
            #expect(result.status == 0, "\(result.output)")
        }
    }

    @Test func secretsComeFromTheEnvironmentAndAreNeverWritten() throws {
        let failing = RequestTemplate(
            method: "GET", path: "/api/v1/auth/me", headers: [HTTPHeader("Authorization", "Bearer {{secret.authorization_bearer}}")])
        let script = ReproducerScript.render(
            Self.record("00000000000000e1", failing, failure: "500"), settings: ReproducerSettings(baseURL: "http://127.0.0.1:1"))
        #expect(script.contains(#"STAMPEDE_SECRET_AUTHORIZATION_BEARER="${STAMPEDE_SECRET_AUTHORIZATION_BEARER:?set STAMPEDE_SECRET_AUTHORIZATION_BEARER"#))
        #expect(script.contains(#"-H 'Authorization: Bearer '"${STAMPEDE_SECRET_AUTHORIZATION_BEARER}""#))
        #expect(!script.contains("{{"))
    }
}
