import Foundation
import Hummingbird
import StampedeCore
import StampedeEngine
import StampedeHTTP
import StampedeTestSupport
import Testing

/// A recording full of decoy credentials (JSON at several depths, forms, queries, headers, cookies)
/// written by the real `stampede record`, through its proxy and from a HAR file: no decoy value is
/// in the corpus file (decompressed), while ordinary values and a `--keep` field are.
@Suite("Redaction decoys", .serialized)
struct RedactionDecoyTests {
    struct Decoys {
        let run = ClientIdentity.randomRunID()
        var values: [String] = []

        /// A fresh decoy value, remembered.
        mutating func next() -> String {
            let value = "dcy\(values.count)q\(run)"
            values.append(value)
            return value
        }
    }

    struct Call {
        var method: String
        var target: String
        var headers: [HTTPHeader]
        var body: String
    }

    /// The recorded traffic; `decoys` collects every value that must not be stored.
    static func calls(_ decoys: inout Decoys) -> (calls: [Call], visible: [String]) {
        let visible = ["VISIBLE-\(decoys.run)", "NOTE-\(decoys.run)", "KEPT-\(decoys.run)"]
        let json = "application/json"
        let pin = "9\(Int.random(in: 100_000_000...999_999_999))"
        let calls = [
            Call(method: "POST", target: "/api/login", headers: [HTTPHeader("Content-Type", json)],
                 body: #"{"username":"decoy_user","pwd":"\#(decoys.next())"}"#),
            Call(
                method: "POST", target: "/api/settings?api_key=\(decoys.next())&Session=\(decoys.next())&page=2",
                headers: [
                    HTTPHeader("Content-Type", json), HTTPHeader("X-Api-Key", decoys.next()), HTTPHeader("X-Session-Id", decoys.next()),
                    HTTPHeader("Authorization", "Bearer \(decoys.next())"), HTTPHeader("X-Auth-Token", decoys.next()),
                    HTTPHeader("Cookie", "sid=\(decoys.next())"),
                ],
                body: """
                    {"title":"\(visible[0])","passphrase":"\(decoys.next())","secret_answer":"\(decoys.next())",\
                    "client_secret":"\(decoys.next())","refreshToken":"\(decoys.next())","apiKey":"\(decoys.next())",\
                    "session_id":"\(decoys.next())","otp":"\(decoys.next())","PASS":"\(decoys.next())","pin":\(pin),\
                    "nested":{"deep":{"credentials":{"value":"\(decoys.next())"}}},"tokens":["\(decoys.next())","\(decoys.next())"],\
                    "favourite_colour":"\(decoys.next())"}
                    """),
            Call(
                method: "POST", target: "/api/form", headers: [HTTPHeader("Content-Type", "application/x-www-form-urlencoded")],
                body: "pwd=\(decoys.next())&sessionToken=\(decoys.next())&user%5Bpassword%5D=\(decoys.next())&note=\(visible[1])"),
            Call(method: "PUT", target: "/api/keep", headers: [HTTPHeader("Content-Type", json)], body: #"{"otp_hint":"\#(visible[2])"}"#),
        ]
        decoys.values.append(pin)
        return (calls, visible)
    }

    static let flags = ["--redact", "favourite_colour", "--keep", "otp_hint", "--no-verify"]

    static func expectRedacted(_ path: String, decoys: Decoys, visible: [String]) throws {
        let text = try corpusText(path)
        let leaked = decoys.values.filter { text.contains($0) }
        #expect(leaked.isEmpty, "stored in clear: \(leaked)")
        for value in visible { #expect(text.contains(value), "\(value) missing: the corpus does not hold the requests") }
        let corpus = try Corpus.load(path: path)
        #expect(corpus.damages.isEmpty)
        #expect(corpus.sessions.flatMap(\.steps).count == 4)
    }

    @Test("through the recording proxy")
    func throughTheProxy() async throws {
        let router = Router()
        for method in [HTTPRequest.Method.get, .post, .put] {
            router.on("**", method: method) { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"{"ok":true}"#))) }
        }
        let upstream = await LoopbackServer.start(router, label: "decoy-upstream")
        var decoys = Decoys()
        let (calls, visible) = Self.calls(&decoys)
        let path = temporaryPath("decoys.corpus")
        let recorder = try await InterruptTests.RecordProcess.start(baseURL: upstream.baseURL, out: path, verify: true, extra: Self.flags)
        let (process, proxyURL) = (recorder.process, recorder.url)
        let engine = try HTTPEngine(configuration: EngineConfiguration(workers: 1))
        defer { engine.shutdown() }
        for call in calls {
            let response = await engine.send(EngineRequest(method: call.method, url: proxyURL + call.target, headers: call.headers, body: Array(call.body.utf8)))
            #expect(response.status == 200, "\(call.method) \(call.target)")
        }
        process.interrupt()
        #expect(await InterruptTests.exitStatus(of: process) == 0)
        await upstream.stop()
        try Self.expectRedacted(path, decoys: decoys, visible: visible)
    }

    @Test("through HAR import")
    func throughHAR() async throws {
        var decoys = Decoys()
        let (calls, visible) = Self.calls(&decoys)
        let base = "http://127.0.0.1:9"
        let entries = calls.enumerated().map { index, call -> [String: Any] in
            [
                "startedDateTime": "2026-01-01T00:00:0\(index).000Z", "time": 5,
                "request": [
                    "method": call.method, "url": base + call.target,
                    "headers": call.headers.map { ["name": $0.name, "value": $0.value] },
                    "postData": ["mimeType": call.headers.value(named: "Content-Type") ?? "", "text": call.body],
                ] as [String: Any],
                "response": [
                    "status": 200, "headers": [["name": "Content-Type", "value": "application/json"]],
                    "content": ["mimeType": "application/json", "text": #"{"ok":true}"#],
                ] as [String: Any],
            ]
        }
        let har = try JSONSerialization.data(withJSONObject: ["log": ["version": "1.2", "entries": entries] as [String: Any]])
        let harPath = temporaryPath("decoys.har")
        try har.write(to: URL(fileURLWithPath: harPath))
        let path = temporaryPath("decoys-har.corpus")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: InterruptTests.binary)
        process.arguments = ["record", "--from-har", harPath, "--base-url", base, "--out", path] + Self.flags
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        #expect(await InterruptTests.exitStatus(of: process) == 0)
        // The HAR file itself holds every decoy (the check below can find them).
        #expect(decoys.values.allSatisfy { String(decoding: har, as: UTF8.self).contains($0) })
        try Self.expectRedacted(path, decoys: decoys, visible: visible)
    }
}
