import Foundation
import StampedeCore
import StampedeHTTP
import Testing

@Suite("Corpus validation: every loader refuses what must not be sent")
struct SessionValidationTests {
    func session(_ request: RequestTemplate, configure: (inout Step) -> Void = { _ in }) -> Session {
        var step = Step(request: RequestTemplate(method: "GET", path: "/ok"))
        var second = Step(request: request)
        configure(&second)
        step.expect = Expectation(status: 200)
        return Session(id: "s1", weight: 1, steps: [step, second])
    }

    /// Writes `sessions` to a corpus and reads it back: the scan's damage lines and the sessions kept.
    func roundTrip(_ sessions: [Session]) throws -> (kept: [Session], damage: [String]) {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/baseline.corpus"
        let writer = try CorpusWriter(appendingTo: path, header: CorpusHeader(baseURL: nil))
        try writer.append(sessions)
        let (kept, scan) = try readAll(path)
        return (kept, scan.damages.map(\.description))
    }

    @Test(arguments: ["@127.0.0.2:18901/x", "//127.0.0.2:18901/x", "http://127.0.0.2:18901/x", "x", ""])
    func aPathThatNamesAHostIsDamage(path: String) throws {
        let (kept, damage) = try roundTrip([session(RequestTemplate(method: "GET", path: path))])
        #expect(kept.isEmpty)
        #expect(damage.count == 1)
        #expect(damage.first?.contains("session s1 step 2 request.path: must") == true)
        #expect(damage.first?.hasPrefix("line 2: session s1") == true)
    }

    @Test func aValidSessionLoads() throws {
        let (kept, damage) = try roundTrip([session(RequestTemplate(method: "POST", path: "/api/items/{{id}}", headers: [HTTPHeader("X-Trace", "a b")]))])
        #expect(kept.count == 1)
        #expect(damage.isEmpty)
    }
}

extension SessionValidationTests {
    @Test(arguments: [
        ("request.headers[1]", RequestTemplate(method: "GET", path: "/x", headers: [HTTPHeader("X-A", "a\r\nInjected: 1")])),
        ("request.headers[1]", RequestTemplate(method: "GET", path: "/x", headers: [HTTPHeader("X\r\nEvil", "1")])),
        ("request.headers[2]", RequestTemplate(method: "GET", path: "/x", headers: [HTTPHeader("A", "1"), HTTPHeader("X-A", "a\u{0}b")])),
        ("request.method", RequestTemplate(method: "GET\r\nInjected: 1", path: "/x")),
        ("request.method", RequestTemplate(method: "", path: "/x")),
        ("request.method", RequestTemplate(method: String(repeating: "A", count: 1 << 20), path: "/x")),
        ("request.body.base64", RequestTemplate(method: "POST", path: "/x", body: BodyTemplate(base64: "not base64!"))),
    ])
    func aFieldThatCannotBeSentIsDamage(field: String, request: RequestTemplate) throws {
        let (kept, damage) = try roundTrip([session(request)])
        #expect(kept.isEmpty)
        #expect(damage.count == 1)
        #expect(damage.first?.contains("session s1 step 2 \(field): ") == true)
        #expect((damage.first?.count ?? 0) < 300)
    }

    @Test func boundsAndRegexesAreChecked() throws {
        var bad = session(RequestTemplate(method: "GET", path: "/x")) { step in
            step.extract = [ExtractRule(variable: "v", source: .regex, expression: "(unclosed"),
                            ExtractRule(variable: "w", source: .header, expression: "Location", pattern: "[z-a]")]
            step.stream = StreamOptions(windowSeconds: -1)
            step.poll = PollOptions(pointer: "/status", until: ["done"], maxAttempts: -3)
        }
        bad.weight = -2
        var zero = session(RequestTemplate(method: "GET", path: "/x"))
        zero.id = "s2"
        zero.weight = 0
        let (kept, damage) = try roundTrip([bad, zero])
        #expect(kept.isEmpty)
        let fields = ["session s1 weight", "step 2 extract[1].expr", "step 2 extract[2].pattern", "step 2 stream.window_s",
                      "step 2 poll.max_attempts", "session s2 weight"]
        for field in fields { #expect(damage.contains { $0.contains(field + ": ") }, "\(field)") }
        #expect(damage.count == fields.count)
    }
}
