import Foundation
import StampedeHTTP
import Testing

@testable import StampedeCore

/// Every built-in a replay provides has a definition in a reproducer script: a new built-in
/// without one fails here (rather than as an unbound variable in some crash's script).
@Suite("Reproducer script built-ins")
struct ReproducerBuiltinsTests {
    static let names = BuiltinVariables.clientNames + ["run.id"] + BuiltinVariables.generatorNames

    /// A crash record whose failing request uses every built-in (in one header).
    static var record: Session {
        let value = names.map { "{{\($0)}}" }.joined(separator: ";")
        let request = RequestTemplate(method: "GET", path: "/x", headers: [HTTPHeader("X-All", value)])
        return Session(
            id: "crash-builtins", steps: [Step(request: request)],
            crash: CrashInfo(
                signature: "builtins", failure: "500", failureClass: "server_error", endpoint: "GET /x", mutations: [], seed: 1,
                parentSession: "s", parentStep: 0, minimized: true, firstSeen: "2026-01-01T00:00:00Z",
                lastSeen: "2026-01-01T00:00:00Z", hits: 1, reproduceRate: 1, curl: ""))
    }

    @Test func everyClientBuiltinHasOneDefinition() {
        let defined = ReproducerScript.clientBuiltins(ReproducerSettings(baseURL: "http://127.0.0.1:1")).map(\.name)
        #expect(Set(defined) == Set(BuiltinVariables.clientNames + ["run.id"]))
        #expect(defined.count == Set(defined).count)
    }

    /// The script up to its first `send`, run by bash, sets every built-in's variable to a non-empty value.
    @Test func everyBuiltinIsSetBeforeTheRequestIsSent() throws {
        let script = ReproducerScript.render(Self.record, settings: ReproducerSettings(baseURL: "http://127.0.0.1:1"))
        let lines = script.split(separator: "\n", omittingEmptySubsequences: false)
        let send = try #require(lines.firstIndex { $0.hasPrefix("send ") })
        let variables = Self.names.map { ShellTemplate.variable(for: $0) }
        let check = "for _n in \(variables.joined(separator: " ")); do [ -n \"${!_n:-}\" ] || { echo \"$_n\"; exit 3; }; done"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["bash", "-c", (lines[..<send] + [Substring(check)]).joined(separator: "\n")]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let unset = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "no value for \(unset)")
    }
}
