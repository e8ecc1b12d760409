import Foundation
import StampedeCore
import StampedeHTTP
import Testing

/// `corpus show` names the environment variable of every secret a session needs and lacks.
@Suite struct MissingSecretsEndToEndTests {
    @Test func corpusShowNamesEachMissingSecretsVariable() async throws {
        let directory = NSTemporaryDirectory() + "stampede-secrets-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/baseline.corpus"
        let steps = [
            Step(request: RequestTemplate(method: "GET", path: "/dav/", headers: [HTTPHeader("Authorization", "Basic {{secret.authorization_basic}}")])),
            Step(request: RequestTemplate(method: "GET", path: "/api", headers: [HTTPHeader("Authorization", "Bearer {{secret.authorization_bearer}}")])),
            Step(request: RequestTemplate(method: "GET", path: "/dav/x", headers: [HTTPHeader("Authorization", "Basic {{secret.authorization_basic}}")])),
        ]
        try CorpusWriter.writeAtomically(path: path, header: CorpusHeader(baseURL: "http://127.0.0.1:1", name: "t"),
            sessions: [Session(id: "s1", steps: steps)])
        let show = try await CLIProcess.run(["corpus", "show", path], environment: ["STAMPEDE_SECRET_AUTHORIZATION_BEARER": "tok"], timeout: .seconds(20))
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("missing secret: set STAMPEDE_SECRET_AUTHORIZATION_BASIC (steps 1, 3)"))
        #expect(!show.stdout.contains("set STAMPEDE_SECRET_AUTHORIZATION_BEARER"))
    }
}
