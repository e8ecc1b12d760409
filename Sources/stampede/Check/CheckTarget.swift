import Foundation
import PropertyCheck
import StampedeCore
import StampedeHTTP

/// The request `stampede check` varies: its template, the steps that set up its session
/// (register, log in, …), the recorded body it varies and the status class it was recorded with.
struct CheckTarget {
    /// The target step; its body is replaced by each variant.
    var step: Step
    /// Steps run once before the variants, in order, to build the session (cookies, CSRF, ids).
    var context: [Step]
    /// The recorded JSON body, if the step has one.
    var exemplar: JSONValue?
    /// Where the step came from, for messages (`session demo-execute step 3`).
    var origin: String

    /// `METHOD /path` → method and path, or a usage error.
    static func parseEndpoint(_ text: String) throws -> (method: String, path: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, parts[1].hasPrefix("/") else {
            throw CLIError.usage("--endpoint must look like 'POST /api/v1/auth/register', got '\(text)'")
        }
        return (parts[0].uppercased(), String(parts[1]))
    }

    /// The first step of `sessions` whose endpoint template is `endpoint`, with its session's earlier steps.
    static func find(_ endpoint: String, in sessions: [Session]) throws -> CheckTarget {
        let (method, path) = try parseEndpoint(endpoint)
        let wanted = EndpointTemplate.key(method: method, path: path)
        for session in sessions {
            for (index, step) in session.steps.enumerated() {
                let key = step.endpoint ?? EndpointTemplate.key(method: step.request.method, path: step.request.path)
                guard key.uppercasedMethod == wanted.uppercasedMethod else { continue }
                var exemplar: JSONValue?
                if let text = step.request.body?.text, !text.isEmpty {
                    exemplar = try? JSONParser(allowsTemplatePlaceholders: true).parse(text)
                }
                // SSE steps only sample a stream; they add nothing the target needs and take seconds.
                let context = session.steps[..<index].filter { $0.stream == nil }
                return CheckTarget(step: step, context: Array(context), exemplar: exemplar, origin: "session \(session.id) step \(index)")
            }
        }
        let known = Set(sessions.flatMap { $0.steps.map { $0.endpoint ?? EndpointTemplate.key(method: $0.request.method, path: $0.request.path) } })
        throw CLIError.usage("no recorded step for \(wanted); the corpus has: " + known.sorted().joined(separator: ", "))
    }

    /// A bare JSON request to `endpoint` without session context (for `--schema`/`--strategy` without a corpus).
    static func bare(_ endpoint: String) throws -> CheckTarget {
        let (method, path) = try parseEndpoint(endpoint)
        let request = RequestTemplate(
            method: method, path: path,
            headers: [HTTPHeader("Content-Type", "application/json"), HTTPHeader("Accept", "application/json")],
            body: BodyTemplate(text: "{}", contentType: "application/json"))
        return CheckTarget(step: Step(request: request), context: [], exemplar: nil, origin: "--endpoint")
    }

    /// The target step with `body` as its JSON body.
    func step(withBody body: JSONValue) -> Step {
        var copy = step
        let contentType = copy.request.body?.contentType ?? copy.request.header("content-type") ?? "application/json"
        copy.request.body = BodyTemplate(text: body.serialized(), contentType: contentType)
        if copy.request.header("content-type") == nil {
            copy.request.headers.append(HTTPHeader("Content-Type", contentType))
        }
        return copy
    }
}

extension String {
    /// `post /a` and `POST /a` name the same endpoint.
    fileprivate var uppercasedMethod: String {
        guard let space = firstIndex(of: " ") else { return self }
        return self[..<space].uppercased() + self[space...]
    }
}

extension CheckTarget {
    /// `post /a` → `POST /a`, as printed and keyed.
    static func normalizedEndpoint(_ text: String) -> String {
        guard let (method, path) = try? parseEndpoint(text) else { return text }
        return method + " " + path
    }
}
