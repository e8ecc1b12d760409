import PropertyCheck
import StampedeClient
import StampedeCore
import StampedeEngine
import StampedeHTTP

/// One virtual client of `stampede check`: builds the session once (the recorded steps before
/// the target), then sends each variant with it and judges the response.
actor CheckClient {
    let runner: StepClient
    let target: CheckTarget
    let property: CheckProperty
    private var state: ClientState
    /// Statuses of the random runs (not of shrinking), `0` for a transport failure.
    private(set) var statuses: [Int: Int] = [:]
    private var shrinking = false

    init(runner: StepClient, target: CheckTarget, property: CheckProperty, identity: ClientIdentity) {
        self.runner = runner
        self.target = target
        self.property = property
        self.state = ClientState(identity: identity)
    }

    /// Runs the context steps; a transport failure there is fatal, an unexpected status a warning.
    func prepareSession() async throws {
        var state = self.state
        for (index, step) in target.context.enumerated() {
            let outcome = await runner.run(step, index: index, state: &state)
            if let failure = outcome.response.failure {
                throw CLIError.failure("session step \(outcome.number) (\(outcome.endpoint)) failed: \(failure.name) \(failure.message)")
            }
            if !outcome.matched {
                Console.note("stampede: warning: session step \(outcome.number) (\(outcome.endpoint)): \(outcome.explanation)")
            }
        }
        self.state = state
    }

    /// Sends `body` as the target step's body and applies the property.
    func evaluate(_ body: JSONValue) async -> PropertyVerdict {
        let rendered = runner.renderer.render(target.step(withBody: body), state: &state)
        guard rendered.isSendable else {
            return .fail("unresolved " + rendered.unresolved.map { "{{\($0)}}" }.joined(separator: ", "))
        }
        let response = await runner.engine.send(rendered.request)
        let verdict = property.verdict(for: response, expectedClass: target.step.expect?.statusClass ?? 2)
        if !shrinking {
            statuses[response.failure == nil ? response.status : 0, default: 0] += 1
            if verdict != .pass { shrinking = true }
        }
        return verdict
    }

    /// A curl command sending `body` with this client's session (cookies and CSRF header included).
    /// Secrets show as `$STAMPEDE_SECRET_NAME`.
    func curl(for body: JSONValue) -> String {
        let request = runner.renderer.render(target.step(withBody: body), state: &state).redactedRequest
        guard Self.hasInvisibleScalars(request.body) else {
            return CurlCommand.render(method: request.method, url: request.url, headers: request.headers, body: request.body)
        }
        // A minimal body is often one invisible character (U+0080, U+200B); write its bytes as
        // $'\xNN' escapes so the pasted command sends exactly them and a reader sees them.
        let head = CurlCommand.render(method: request.method, url: request.url, headers: request.headers, body: [])
        let url = CurlCommand.quote(request.url)
        return String(head.dropLast(url.count)) + "--data-binary " + Self.ansiQuoted(request.body) + " " + url
    }

    /// Control, format and non-ASCII space characters, which a terminal shows as nothing or as a blank.
    static func hasInvisibleScalars(_ bytes: [UInt8]) -> Bool {
        String(decoding: bytes, as: UTF8.self).unicodeScalars.contains { scalar in
            switch scalar.properties.generalCategory {
            case .control, .format, .unassigned, .privateUse, .surrogate, .lineSeparator, .paragraphSeparator: true
            case .spaceSeparator: scalar != " "
            default: false
            }
        }
    }

    /// Bash ANSI-C quoting: printable ASCII as is, every other byte as `\xNN`.
    static func ansiQuoted(_ bytes: [UInt8]) -> String {
        var out = "$'"
        for byte in bytes {
            if byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "'"), byte != UInt8(ascii: "\\") {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16)
                out += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out + "'"
    }
}
