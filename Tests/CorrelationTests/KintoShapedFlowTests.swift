import Correlation
import StampedeCore
import StampedeHTTP
import Testing

/// The whole Kinto flow the third-party tests record (accounts plugin, HTTP Basic), as exchanges:
/// every defect of #11's recorder side shows up in it at once.
@Suite("A Kinto-shaped recording")
struct KintoShapedFlowTests {
    static let json = [HTTPHeader("Content-Type", "application/json")]
    static let record = "7f7a9185-0d6b-4c3e-9c1a-2b3c4d5e6f70"

    static func exchanges() -> [RecordedExchange] {
        let auth = [HTTPHeader("Authorization", "Basic " + Base64.encode(Array("carol:correct-horse-battery".utf8)))]
        let records = "/v1/buckets/notes/collections/todo/records"
        var at: Int64 = 0
        func x(_ method: String, _ path: String, query: [QueryItem] = [], headers: [HTTPHeader] = [], body: String = "", status: Int = 200,
               responseHeaders: [HTTPHeader] = [], response: String = "") -> RecordedExchange {
            at += 10
            return CorrelatorTests.exchange(method, path, query: query, headers: headers, body: body, status: status,
                responseHeaders: responseHeaders, response: response, at: at)
        }
        return [
            x("GET", "/", status: 307, responseHeaders: [HTTPHeader("Location", "http://127.0.0.1:8888/v1/")]),
            x("PUT", "/v1/accounts/carol", headers: json, body: #"{"data":{"password":"correct-horse-battery"}}"#, status: 201,
              response: #"{"data":{"id":"carol","password":"$2b$12$abcdefghijklmnopqrstuv"},"permissions":{"write":["account:carol"]}}"#),
            x("GET", "/v1/", headers: auth, response: #"{"project_name":"kinto","url":"http://127.0.0.1:8888/v1/","user":{"id":"account:carol"}}"#),
            x("PUT", "/v1/buckets/notes", headers: auth + json, body: #"{"data":{"title":"My notes"}}"#, status: 201,
              response: #"{"data":{"id":"notes","title":"My notes","last_modified":1764000000001}}"#),
            x("PUT", "/v1/buckets/notes/collections/todo", headers: auth, status: 201, response: #"{"data":{"id":"todo","last_modified":1764000000002}}"#),
            x("POST", records, headers: auth + json, body: #"{"data":{"title":"milk","done":false}}"#, status: 201,
              responseHeaders: [HTTPHeader("ETag", "\"1764000000003\"")],
              response: #"{"data":{"id":"\#(record)","title":"milk","done":false,"last_modified":1764000000003}}"#),
            x("GET", "\(records)/\(record)", headers: auth),
            x("PATCH", "\(records)/\(record)", headers: auth + json + [HTTPHeader("If-Match", "\"1764000000003\"")], body: #"{"data":{"done":true}}"#),
            x("GET", records, query: [QueryItem("id", record), QueryItem("_sort", "-last_modified"), QueryItem("_limit", "5")], headers: auth),
            x("POST", "/v1/batch", headers: auth + json,
              body: #"{"defaults":{"method":"PATCH"},"requests":[{"path":"/buckets/notes/collections/todo/records/\#(record)","body":{"data":{"title":"oat milk"}}}]}"#),
            x("DELETE", "\(records)/\(record)", headers: auth),
            x("DELETE", "/v1/buckets/notes", headers: auth),
        ]
    }

    @Test("v1 stays constant, the account is vu.*, Basic is vu.basic, bucket and collection get vu.tag, the record id is correlated everywhere")
    func kintoFlow() throws {
        let session = Correlator().session(id: "kinto", exchanges: Self.exchanges())
        let records = "/v1/buckets/notes-{{vu.tag}}/collections/todo-{{vu.tag}}/records"
        #expect(session.steps.map(\.request.path) == [
            "/", "/v1/accounts/{{vu.username}}", "/v1/", "/v1/buckets/notes-{{vu.tag}}", "/v1/buckets/notes-{{vu.tag}}/collections/todo-{{vu.tag}}",
            records, "\(records)/{{record_id}}", "\(records)/{{record_id}}", records, "/v1/batch", "\(records)/{{record_id}}",
            "/v1/buckets/notes-{{vu.tag}}",
        ])
        #expect(session.steps[1].role == .register)
        #expect(session.steps[1].request.body?.text == #"{"data":{"password":"{{vu.password}}"}}"#)
        #expect(session.steps.dropFirst(2).allSatisfy { $0.request.header("Authorization") == "Basic {{vu.basic}}" })
        #expect(session.steps[7].request.header("If-Match") == "{{etag}}")
        #expect(session.steps[8].request.query.first?.value == "{{record_id}}")
        #expect(session.steps[9].request.body?.text?.contains(#""path":"/buckets/notes-{{vu.tag}}/collections/todo-{{vu.tag}}/records/{{record_id}}""#) == true)
        #expect(session.steps[0].extract.isEmpty)
        #expect(Set(session.steps[5].extract.map(\.expression)) == ["/data/id", "ETag"])
        #expect(!session.variables.contains { $0.name.hasPrefix("secret.") || $0.name == "resource_id" })
        #expect(session.unresolvedVariables().isEmpty)
        let encoded = String(decoding: try CorpusWriter.encode(session), as: UTF8.self)
        #expect(!encoded.contains("correct-horse") && !encoded.contains("carol"), "\(encoded)")
    }
}
