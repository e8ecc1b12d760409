import Foundation
import StampedeCore
import StampedeHTTP
import StampedeEngine

/// Runs a finding's `crashes/<signature>.sh` alone, and probes its minimal request without a login.
enum Reproducer {
    /// Runs the script with bash, nothing but PATH/HOME and the server's credentials in its environment.
    /// Returns the last HTTP status it printed (a `curl -i` status line, the script's `status NNN …` line,
    /// or a line of three digits).
    static func run(_ script: String, kind: ThirdPartyServer, scratch: String) async throws -> (status: Int?, output: String) {
        let label = (script as NSString).lastPathComponent
        let process = try ChildProcess(
            "/bin/bash", [script], environment: ThirdPartyVenv.environment(kind.credentials),
            stdout: scratch + "/\(label).out", stderr: scratch + "/\(label).err")
        defer { process.stop() }
        _ = await process.waitForExit(timeout: .seconds(60))
        return (lastStatus(in: process.output), process.tail(40))
    }

    static func lastStatus(in output: String) -> Int? {
        var status: Int?
        for line in output.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if let match = trimmed.firstMatch(of: /^HTTP\/[0-9.]+ (\d{3})/) {
                status = Int(match.1)
            } else if let match = trimmed.firstMatch(of: #/^status (\d{3})\s/#) {
                // The `.sh` reproducer's own summary line: `status 500 curl exit 0 (the finding: 500)`.
                status = Int(match.1)
            } else if trimmed.wholeMatch(of: /\d{3}/) != nil {
                status = Int(trimmed)
            }
        }
        return status
    }

    /// The minimal request sent with no credentials, no cookies and every `{{variable}}` as `x`.
    /// 401 or 403 means the server error it triggers lies behind the login.
    static func anonymousStatus(of template: RequestTemplate, baseURL: String, engine: HTTPEngine) async -> Int {
        func plain(_ text: String) -> String { text.replacing(/\{\{[^}]*\}\}/, with: "x") }
        let credentialHeaders = ["Authorization", "Cookie", "X-XSRFToken", "X-CSRF-Token"]
        let headers = template.headers
            .filter { header in !credentialHeaders.contains { HTTPHeader.namesEqual($0, header.name) } }
            .map { HTTPHeader($0.name, plain($0.value)) }
        var anonymous = template
        anonymous.path = plain(template.path)
        anonymous.query = template.query.map { QueryItem($0.name, $0.value.map(plain)) }
        let body = template.body?.text.map { Array(plain($0).utf8) } ?? template.body?.rawBytes ?? []
        let request = EngineRequest(
            method: template.method, url: baseURL + anonymous.pathAndQuery, headers: headers, body: body, timeoutMs: 10_000)
        return await engine.send(request).status
    }
}
