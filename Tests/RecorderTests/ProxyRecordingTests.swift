import Correlation
import DemoTarget
import Foundation
import Recorder
import StampedeCore
import StampedeEngine
import StampedeHTTP
import Testing

@Suite("Recording proxy")
struct ProxyRecordingTests {
    @Test("the demo flows recorded through the proxy replay for 10 fresh clients at once, with no secret in the corpus")
    func demoThroughProxy() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        // One worker: the client keeps one kept-alive connection, as a browser tab would.
        let client = try HTTPEngine(configuration: EngineConfiguration(workers: 1))
        let upstream = try HTTPEngine(configuration: EngineConfiguration(workers: 2))
        defer {
            client.shutdown()
            upstream.shutdown()
        }
        let path = temporaryPath("proxy.corpus")
        let recorder = try CorpusRecorder(path: path, header: CorpusHeader(baseURL: server.baseURL, name: "test"))
        let proxy = try await RecordingProxy.start(target: server.baseURL, recorder: recorder, engine: upstream)

        var passwords: [String] = []
        for (index, flow) in DemoFlow.Flow.allCases.enumerated() {
            let user = "proxyuser_\(index)_\(ClientIdentity.randomRunID())"
            passwords.append("pw-\(user)-Secret1")
            let exchanges = try await DemoFlow.drive(flow, baseURL: proxy.baseURL, engine: client, user: user)
            #expect(exchanges.allSatisfy { $0.status > 0 && $0.status < 400 }, "\(flow): \(exchanges.map(\.status))")
        }
        try recorder.flushAll()
        await proxy.stop()

        let corpus = try Corpus.load(path: path)
        #expect(corpus.damages.isEmpty)
        #expect(corpus.sessions.count == DemoFlow.Flow.allCases.count, "\(corpus.sessions.map { $0.steps.map(\.request.path) })")
        for session in corpus.sessions {
            #expect(session.unresolvedVariables().isEmpty, "\(session.id): \(session.unresolvedVariables())")
        }
        let sse = corpus.sessions.flatMap(\.steps).filter { $0.stream != nil }
        #expect(sse.count == 1)
        #expect(corpus.sessions.flatMap(\.steps).contains { $0.poll != nil })
        #expect(corpus.sessions.flatMap(\.steps).contains { $0.role == .register })

        let text = try corpusText(path)
        for password in passwords { #expect(!text.contains(password)) }
        #expect(!text.contains("access_token="))
        #expect(!text.lowercased().contains("{\"name\":\"cookie\""))

        let outcomes = await ReplayHelpers.replay(corpus.sessions, clients: 10, baseURL: server.baseURL, engine: upstream)
        #expect(outcomes.count == corpus.sessions.count * 10)
        #expect(failures(outcomes).isEmpty, "\(failures(outcomes))")
        await server.stop()
    }

    @Test("the demo flows imported from a HAR file replay for 10 fresh clients at once")
    func demoThroughHAR() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        let engine = try HTTPEngine(configuration: EngineConfiguration(workers: 2))
        defer { engine.shutdown() }
        var exchanges: [RecordedExchange] = []
        var passwords: [String] = []
        for (index, flow) in DemoFlow.Flow.allCases.enumerated() {
            let user = "haruser_\(index)_\(ClientIdentity.randomRunID())"
            passwords.append("pw-\(user)-Secret1")
            exchanges += try await DemoFlow.drive(flow, baseURL: server.baseURL, engine: engine, user: user)
        }
        let harPath = temporaryPath("session.har")
        try HARWriter.write(exchanges, baseURL: server.baseURL, to: harPath)

        let data = try Array(Data(contentsOf: URL(fileURLWithPath: harPath)))
        let (base, imported) = try HARImporter.exchanges(fromHAR: data, baseURL: nil)
        #expect(base == server.baseURL)
        #expect(imported.count == exchanges.count)
        let path = temporaryPath("har.corpus")
        let recorder = try CorpusRecorder(path: path, header: CorpusHeader(baseURL: base))
        let sessions = try recorder.importExchanges(imported)
        #expect(sessions.count == DemoFlow.Flow.allCases.count)

        let corpus = try Corpus.load(path: path)
        #expect(corpus.sessions == sessions)
        let text = try corpusText(path)
        for password in passwords { #expect(!text.contains(password)) }

        let outcomes = await ReplayHelpers.replay(corpus.sessions, clients: 10, baseURL: server.baseURL, engine: engine)
        #expect(outcomes.count == sessions.count * 10)
        #expect(failures(outcomes).isEmpty, "\(failures(outcomes))")
        await server.stop()
    }
}

/// Writes exchanges as a HAR 1.2 document, as browser devtools would.
enum HARWriter {
    static func write(_ exchanges: [RecordedExchange], baseURL: String, to path: String) throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        func pairs(_ headers: [HTTPHeader]) -> [[String: String]] { headers.map { ["name": $0.name, "value": $0.value] } }
        let entries: [[String: Any]] = exchanges.map { e in
            let query = e.query.isEmpty ? "" : "?" + QueryItem.encode(e.query)
            var request: [String: Any] = [
                "method": e.method, "url": baseURL + e.path + query, "httpVersion": "HTTP/1.1",
                "headers": pairs(e.requestHeaders), "queryString": e.query.map { ["name": $0.name, "value": $0.value ?? ""] },
                "cookies": [], "headersSize": -1, "bodySize": e.requestBody.count,
            ]
            if !e.requestBody.isEmpty {
                request["postData"] = ["mimeType": e.requestHeader("content-type") ?? "", "text": String(decoding: e.requestBody, as: UTF8.self)]
            }
            let response: [String: Any] = [
                "status": e.status, "statusText": "", "httpVersion": "HTTP/1.1", "headers": pairs(e.responseHeaders), "cookies": [],
                "content": ["size": e.responseBytes, "mimeType": e.responseHeader("content-type") ?? "", "text": String(decoding: e.responseBody, as: UTF8.self)],
                "redirectURL": "", "headersSize": -1, "bodySize": e.responseBytes,
            ]
            return [
                "startedDateTime": formatter.string(from: Date(timeIntervalSince1970: Double(e.startedAtMs) / 1000)),
                "time": Double(e.endedAtMs - e.startedAtMs), "request": request, "response": response,
                "cache": [:], "timings": ["send": 0, "wait": 0, "receive": 0], "_resourceType": "fetch",
            ]
        }
        let document: [String: Any] = ["log": ["version": "1.2", "creator": ["name": "stampede-tests", "version": "1"], "entries": entries]]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
        try data.write(to: URL(fileURLWithPath: path))
    }
}
