import Foundation
import DemoTarget
import Mutator
import StampedeCore
import StampedeHTTP
import StampedeEngine
import StampedeTestSupport
import Testing

/// Mutants of the #13 operator families go through the real libcurl engine to the demo target
/// (defects off) and always get an HTTP answer: libcurl never refuses one of them.
@Suite struct MutantWireTests {
    static let families: [[String]] = [
        ["headers.conditional", "headers.range", "headers.accept", "headers.content-encoding"],
        ["headers.authorization", "headers.cookie-syntax", "headers.origin", "headers.method-override", "headers.expect"],
        ["headers.content-type-mismatch", "json.odd-key", "json.null-in-array", "json.lone-surrogate"],
        ["json.deep-nesting", "json.wide", "json.boundary-number", "json.wrong-top-level"],
    ]

    /// The request a client would send, with every `{{variable}}` as `x` (no session: 401s are fine).
    static func wire(_ template: RequestTemplate, baseURL: String) -> EngineRequest {
        let fill = { (text: String) in Template.render(text) { _ in "x" } }
        let query = template.query.map { QueryItem(fill($0.name), $0.value.map(fill)) }
        let path = PercentEncoding.encode(fill(template.path)).replacingOccurrences(of: "%2F", with: "/")
        let url = baseURL + path + (query.isEmpty ? "" : "?" + QueryItem.encode(query))
        let headers = template.headers.map { HTTPHeader($0.name, fill($0.value)) }
        let body = template.body.map { body in body.text.map { Array(fill($0).utf8) } ?? body.rawBytes } ?? []
        return EngineRequest(method: template.method, url: url, headers: headers, body: body, timeoutMs: 5_000)
    }

    @Test(arguments: families.indices)
    func everyMutantIsSentAndAnswered(family: Int) async throws {
        let names = Self.families[family]
        var weights: [String: Double] = [:]
        for info in Mutator.operators where !names.contains(info.name) { weights[info.name] = 0 }
        let mutator = Mutator(sessions: DemoCorpus.sessions, configuration: MutatorConfiguration(weights: weights, discovery: false))
        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        let engine = try HTTPEngine(configuration: EngineConfiguration(workers: 1))
        var sent = 0
        for seed in UInt64(0)..<60 {
            let mutant = mutator.nextMutant(seed: seed)
            let response = await engine.send(Self.wire(mutant.request, baseURL: server.baseURL))
            #expect(response.failure == nil, "\(mutant.operations.map(\.description)): \(response.failure?.name ?? "")")
            #expect((100..<500).contains(response.status), "\(mutant.operations.map(\.description)) → \(response.status)")
            sent += 1
        }
        engine.shutdown()
        await server.stop()
        #expect(sent == 60)
    }
}
