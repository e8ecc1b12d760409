import Foundation
import StampedeCore
import StampedeHTTP
import Testing

@Suite("Corpus validation: every loader refuses what must not be sent")
struct SessionValidationTests {
    private func session(_ request: RequestTemplate, configure: (inout Step) -> Void = { _ in }) -> Session {
        var step = Step(request: RequestTemplate(method: "GET", path: "/ok"))
        var second = Step(request: request)
        configure(&second)
        step.expect = Expectation(status: 200)
        return Session(id: "s1", weight: 1, steps: [step, second])
    }

    /// Writes `sessions` to a corpus and reads it back: the scan's damage lines and the sessions kept.
    private func roundTrip(_ sessions: [Session]) throws -> (kept: [Session], damage: [String]) {
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
    }

    @Test func aValidSessionLoads() throws {
        let (kept, damage) = try roundTrip([session(RequestTemplate(method: "POST", path: "/api/items/{{id}}", headers: [HTTPHeader("X-Trace", "a b")]))])
        #expect(kept.count == 1)
        #expect(damage.isEmpty)
    }
}
