import Correlation
import StampedeCore
import StampedeHTTP
import Testing

@Suite("Secret field names")
struct SecretFieldsTests {
    @Test(arguments: [
        "pwd", "PWD", "pass", "passwd", "Password", "new_password", "passphrase", "secret", "secretAnswer", "client_secret",
        "token", "access_token", "refreshToken", "X-Auth-Token", "csrftoken", "apiKey", "api_key", "X-Api-Key", "private_key",
        "key", "session", "session_id", "sessionId", "X-Session-Id", "JSESSIONID", "otp", "otp_code", "totp", "pin", "card_pin",
        "Authorization", "Proxy-Authorization", "credentials", "user[password]", "cvv", "jwt",
    ])
    func builtInNamesAreSecret(name: String) {
        #expect(SecretFields().isSecret(name))
    }

    @Test(arguments: [
        "username", "email", "title", "page", "limit", "keyword", "pinned", "passport", "status", "Content-Type", "Accept",
        "X-Request-Id", "token_type", "description", "id", "name",
    ])
    func ordinaryNamesAreNot(name: String) {
        #expect(!SecretFields().isSecret(name))
    }

    @Test func redactAndKeepAdjustTheList() {
        let fields = SecretFields(redact: ["favourite*", "X-Tenant"], keep: ["pin", "*_session"])
        #expect(fields.isSecret("favouriteColour"))
        #expect(fields.isSecret("x_tenant"))
        #expect(!fields.isSecret("pin"))
        #expect(fields.isKept("PIN"))
        #expect(!fields.isSecret("user_session"))
        #expect(fields.isSecret("session"))
        // --redact wins over --keep.
        #expect(SecretFields(redact: ["pin"], keep: ["pin"]).isSecret("pin"))
    }

    @Test func snakeFormAndWildcards() {
        #expect(SecretFields.snakeForm("X-Api-Key") == "x_api_key")
        #expect(SecretFields.snakeForm("apiKey") == "api_key")
        #expect(SecretFields.snakeForm("user[password]") == "user_password")
        #expect(SecretFields.snakeForm("*_token") == "*_token")
        #expect(SecretFields.glob(Array("x_api_key".utf8)[...], Array("*key".utf8)[...]))
        #expect(SecretFields.glob(Array("secret_answer".utf8)[...], Array("secret*".utf8)[...]))
        #expect(!SecretFields.glob(Array("keyword".utf8)[...], Array("*key".utf8)[...]))
        #expect(SecretFields.glob(Array("a_b_c".utf8)[...], Array("*_b_*".utf8)[...]))
    }

    @Test("credentials at any depth of JSON, in forms and queries are redacted; --keep keeps one in clear")
    func correlatorRedactsEverywhere() throws {
        let json = #"{"user":{"pwd":"d-pwd","profile":{"credentials":{"value":"d-nested"}},"tokens":["d-t1","d-t2"]},"pin":1234,"title":"visible"}"#
        let exchanges = [
            RecordedExchange(
                connection: "c", startedAtMs: 0, endedAtMs: 1, method: "POST", path: "/items", query: [QueryItem("api_key", "d-query")],
                requestHeaders: [HTTPHeader("Content-Type", "application/json"), HTTPHeader("X-Session-Id", "d-header")],
                requestBody: Array(json.utf8), status: 201),
            RecordedExchange(
                connection: "c", startedAtMs: 2, endedAtMs: 3, method: "POST", path: "/form", query: [],
                requestHeaders: [HTTPHeader("Content-Type", "application/x-www-form-urlencoded")],
                requestBody: Array("otp=d-otp&note=visible2&Secret_Answer=d-answer".utf8), status: 200),
        ]
        var options = RecordingOptions()
        options.secretFields = SecretFields(keep: ["note"])
        let session = Correlator(options: options).session(id: "s", exchanges: exchanges)
        let text = String(decoding: try CorpusWriter.encode(session), as: UTF8.self)
        for decoy in ["d-pwd", "d-nested", "d-t1", "d-t2", "1234", "d-query", "d-header", "d-otp", "d-answer"] {
            #expect(!text.contains(decoy), "\(decoy) stored in clear")
        }
        #expect(text.contains("visible") && text.contains("visible2"))
        #expect(session.variables.contains { $0.name == "secret.credentials" })

        var keepPin = RecordingOptions()
        keepPin.secretFields = SecretFields(keep: ["pin"])
        let kept = Correlator(options: keepPin).session(id: "s", exchanges: exchanges)
        #expect(String(decoding: try CorpusWriter.encode(kept), as: UTF8.self).contains("1234"))
    }
}
