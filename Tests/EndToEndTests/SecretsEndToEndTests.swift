import DemoTarget
import Foundation
import StampedeCore
import StampedeHTTP
import Testing

/// `--secret`, `--secrets-file` and `STAMPEDE_SECRET_*` through the `stampede` CLI: the value is
/// sent, never printed or written to the report; a missing one is named with the variable to set.
@Suite(.serialized) struct SecretsEndToEndTests {
    static let value = "Bearer s3cr3t-7f9a2c-token"

    /// A corpus whose one step carries `{{secret.authorization_bearer}}`.
    static func workspace() throws -> (root: String, corpus: String, out: String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stampede-secrets-\(UUID().uuidString)").path
        let corpus = root + "/corpus"
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        let step = Step(
            request: RequestTemplate(
                method: "GET", path: "/api/v1/health/live", headers: [HTTPHeader("Authorization", "{{secret.authorization_bearer}}")]),
            expect: Expectation(status: 200))
        try CorpusWriter.writeAtomically(
            path: corpus + "/baseline.corpus", header: CorpusHeader(baseURL: "http://127.0.0.1:8000", name: "secrets"),
            sessions: [Session(id: "health", steps: [step])])
        return (root, corpus, root + "/out")
    }

    static func replay(_ ws: (root: String, corpus: String, out: String), base: String, extra: [String], environment: [String: String] = [:]) async throws -> CLIProcess.Result {
        try await CLIProcess.run(
            ["replay", "--corpus", ws.corpus, "--base-url", base, "--mode", "user", "--clients", "2", "--concurrency", "2",
             "--duration", "1", "--output", ws.out, "--quiet"] + extra,
            environment: environment, timeout: .seconds(30))
    }

    static func reportText(_ directory: String) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("report_") }
        let name = try #require(names.first)
        return try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
    }

    @Test func aSecretFromAFlagAFileOrTheEnvironmentIsSentAndNeverShown() async throws {
        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        let ws = try Self.workspace()
        let file = ws.root + "/secrets.env"
        try "# staging\nexport STAMPEDE_SECRET_AUTHORIZATION_BEARER=\"\(Self.value)\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        let runs: [(String, [String], [String: String])] = [
            ("flag", ["--secret", "authorization_bearer=\(Self.value)"], [:]),
            ("file", ["--secrets-file", file], [:]),
            ("env", [], ["STAMPEDE_SECRET_AUTHORIZATION_BEARER": Self.value]),
        ]
        for (name, extra, environment) in runs {
            let out = ws.out + "-" + name
            let result = try await Self.replay((ws.root, ws.corpus, out), base: server.baseURL, extra: extra, environment: environment)
            #expect(result.status == 0, "\(name): \(result.stderr)")
            let report = try Self.reportText(out)
            #expect(!report.contains("s3cr3t") && !result.stdout.contains("s3cr3t") && !result.stderr.contains("s3cr3t"), "\(name)")
            let parsed = try JSONValue(parsing: Array(report.utf8))
            #expect(parsed[key: "unresolved"]?.objectMembers?.isEmpty == true, "\(name)")
            #expect((parsed[pointer: "/endpoints/GET ~1api~1v1~1health~1live/count"]?.doubleValue ?? 0) > 0, "\(name)")
        }
        let missing = try await Self.replay((ws.root, ws.corpus, ws.out + "-missing"), base: server.baseURL, extra: [])
        let bad = try await Self.replay((ws.root, ws.corpus, ws.out + "-bad"), base: server.baseURL, extra: ["--secret", "novalue"])
        await server.stop()
        #expect(missing.status == 1)
        let warnings = missing.stderr.split(separator: "\n").filter { $0.contains("{{secret.authorization_bearer}} unresolved") }
        #expect(warnings.count == 1 && warnings[0].contains("set STAMPEDE_SECRET_AUTHORIZATION_BEARER"), "\(missing.stderr)")
        #expect(try Self.reportText(ws.out + "-missing").contains("secret.authorization_bearer"))
        #expect(bad.status == 2 && bad.stderr.contains("stampede: error: --secret novalue: expected NAME=VALUE"))
    }
}
