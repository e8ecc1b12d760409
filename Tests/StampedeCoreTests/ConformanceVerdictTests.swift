import StampedeCore
import StampedeTestSupport
import Testing

/// The reproducer's verdict for conformance findings the answer alone shows, run in bash against
/// a saved status, response head and body, as the script's last lines see them.
@Suite struct ConformanceVerdictTests {
    func holds(_ failure: String, _ check: BodyCheck? = nil, status: String, head: String = "", body: String = "") throws -> Bool {
        let verdict = try ReproducerVerdict.holds(failure, bodyCheck: check, status: status, head: head, body: body)
        try #require(verdict != nil, "no verdict for \(failure)")
        return verdict == true
    }

    @Test func anUndeclaredStatusReproducesOnlyWithThatStatus() throws {
        let failure = "status: status 416 not declared"
        #expect(try holds(failure, status: "416", head: "HTTP/1.1 416 Range Not Satisfiable\r\n\r\n"))
        #expect(try !holds(failure, status: "200", head: "HTTP/1.1 200 OK\r\n\r\n"))
    }

    @Test func anUndeclaredContentTypeReproducesOnlyWithThatTypeAndStatus() throws {
        let failure = "content-type: Content-Type text/plain not declared for 200"
        #expect(try holds(failure, status: "200", head: "HTTP/1.1 200 OK\r\nContent-Type: Text/Plain; charset=utf-8\r\n\r\n"))
        #expect(try !holds(failure, status: "200", head: "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n"))
        #expect(try !holds(failure, status: "201", head: "HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\n\r\n"))
        let none = "content-type: Content-Type (none) not declared for default"
        #expect(try holds(none, status: "500", head: "HTTP/1.1 500 Oops\r\nServer: x\r\n\r\n"))
        #expect(try !holds(none, status: "500", head: "HTTP/1.1 500 Oops\r\nContent-Type: text/html\r\n\r\n"))
    }

    @Test func anOffSchemaBodyReproducesOnlyWithTheDeclaredStatusAndTheSameBrokenKeyword() throws {
        let failure = "body-schema: 200 body /items/*/id: type"
        let check = BodyCheck(pointer: "/items/*/id", schema: #"{"type":["integer"]}"#)
        #expect(try holds(failure, check, status: "200", body: #"{"items":[{"id":1},{"id":"7"}]}"#))
        #expect(try !holds(failure, check, status: "200", body: #"{"items":[{"id":1},{"id":7}]}"#))
        #expect(try !holds(failure, check, status: "404", body: #"{"items":[{"id":"7"}]}"#))
        #expect(try !holds(failure, check, status: "200", body: "not json"))
        // A finding without its check (a record written before checks were kept) has no verdict.
        #expect(try ReproducerVerdict.holds(failure, status: "200") == nil)
    }

    @Test func aBodyThatIsNotJSONReproducesOnlyWhileItIsStillNotJSON() throws {
        let failure = "body-schema: 2XX body is not JSON"
        #expect(try holds(failure, status: "201", body: "<html>"))
        #expect(try !holds(failure, status: "201", body: "{}"))
        #expect(try !holds(failure, status: "400", body: "<html>"))
        #expect(try holds("body-schema: default body is not JSON", status: "418", body: "{"))
    }

    @Test func aKeywordAScriptCannotJudgeReproducesOnTheSameKindOfValue() throws {
        let failure = "body-schema: 200 body /pet: oneOf"
        let check = BodyCheck(pointer: "/pet", schema: #"{"x-kind":"object"}"#)
        #expect(try holds(failure, check, status: "200", body: #"{"pet":{"cat":1,"dog":2}}"#))
        #expect(try !holds(failure, check, status: "200", body: #"{"pet":"cat"}"#))
        #expect(try !holds(failure, check, status: "200", body: #"{}"#))
    }
}
