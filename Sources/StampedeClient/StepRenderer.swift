public import StampedeCore
import StampedeHTTP
public import StampedeEngine

/// Turns a corpus request template into an engine request for one client: variables and
/// built-ins rendered, `secret.NAME` from the run's secrets, the API prefix rewritten, cookies from
/// the client's jar, the CSRF header on writes.
///
/// Substituted values are encoded for where they land: percent-encoded in the path (a `/` inside
/// a value stays a separator), query and form bodies, JSON-escaped in JSON bodies, verbatim in
/// headers and other bodies. Headers are sent as recorded (no `Content-Type` is invented), except
/// those the engine or the jar own (`Cookie`, `Content-Length`, `Host`…).
public struct StepRenderer: Sendable {
    /// Corpus paths are recorded with this prefix (the original's `LOAD_API_PREFIX` default).
    public static let recordedPrefix = APIPrefix.recorded
    /// Headers the engine or the jar own; a recorded value would be stale or wrong.
    static let managedHeaders: Set<String> = ["cookie", "content-length", "host", "transfer-encoding", "connection"]

    /// The target's base URL without a trailing slash.
    public var baseURL: String
    /// Replaces a leading `/api/v1` of recorded paths.
    public var apiPrefix: String
    /// Values of `{{secret.NAME}}` variables.
    public var secrets: Secrets
    /// The double-submit CSRF pair added to writes.
    public var csrf: CSRFPolicy
    /// Whole-request timeout; SSE steps get their window on top.
    public var requestTimeoutMs: Int
    /// SSE read window of steps that do not set their own.
    public var sseWindowMs: Int

    /// A renderer for one target.
    public init(
        baseURL: String, apiPrefix: String = StepRenderer.recordedPrefix, secrets: Secrets = Secrets(),
        csrf: CSRFPolicy = CSRFPolicy(), requestTimeoutMs: Int, sseWindowMs: Int = 8_000
    ) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.apiPrefix = apiPrefix
        self.secrets = secrets
        self.csrf = csrf
        self.requestTimeoutMs = requestTimeoutMs
        self.sseWindowMs = sseWindowMs
    }

    /// Rewrites a recorded `/api/v1/…` path to the configured prefix (a whole-segment match).
    public func rewrite(path: String) -> String {
        APIPrefix.rewrite(path, to: apiPrefix)
    }

    /// Renders a step for a client: its request, with the SSE window when the step streams.
    public func render(_ step: Step, state: inout ClientState) -> RenderedRequest {
        var rendered = render(step.request, state: &state)
        if let stream = step.stream {
            let windowMs = stream.windowSeconds.map { Int($0 * 1000) } ?? sseWindowMs
            rendered.request.sse = SSEOptions(windowMs: windowMs, maxEvents: 64)
            rendered.request.timeoutMs = windowMs + requestTimeoutMs
        }
        return rendered
    }

    /// Renders a template for a client.
    ///
    /// - Parameters:
    ///   - sendCookies: false for mutants that drop the session on purpose.
    ///   - ownCookie: true for mutants: a `Cookie` header of the template itself (`headers.cookie-syntax`) goes out
    ///     after the jar's. Recordings never store one (the jar provides cookies), so a user flow's is dropped.
    public func render(_ template: RequestTemplate, state: inout ClientState, sendCookies: Bool = true, ownCookie: Bool = false) -> RenderedRequest {
        var kept = fill(template) { state.lookup($0) }
        kept.path = rewrite(path: kept.path)
        var sent = kept
        if !secrets.isEmpty, Self.hasPlaceholder(kept) {
            sent = fill(kept) { name in SecretName.name(ofVariable: name).flatMap { secrets.value(named: $0) } }
        }
        let unresolved = Self.hasPlaceholder(sent) ? Self.unresolved(in: sent) : []
        let url = baseURL + Self.sendable(sent.path) + (sent.query.isEmpty ? "" : "?" + QueryItem.encode(sent.query))
        var headers = sent.headers
        if sendCookies, !state.jar.isEmpty {
            if let cookie = state.jar.cookieHeader(for: url) { headers.append(HTTPHeader("Cookie", cookie)) }
            if Self.isWrite(sent.method), !headers.contains(named: csrf.headerName), let header = csrf.header(from: state.jar) {
                headers.append(header)
                // The stored template names where the token came from, not its live value.
                kept.headers.append(HTTPHeader(csrf.headerName, "{{cookie.\(csrf.cookieName)}}"))
            }
        }
        if ownCookie {
            let own = template.headers.filter { HTTPHeader.namesEqual($0.name, "cookie") }
            headers += own
            kept.headers += own
        }
        let request = EngineRequest(
            method: sent.method, url: url, headers: headers, body: sent.body?.rawBytes ?? [], timeoutMs: requestTimeoutMs)
        return RenderedRequest(request: request, template: kept, unresolved: unresolved, secrets: secrets)
    }

    /// Renders a monkey's mutant: a variable this client has not bound becomes `placeholder` (say
    /// `0`, an ID that does not exist), so the request reaches its endpoint and no braces are sent.
    public func render(_ template: RequestTemplate, state: inout ClientState, sendCookies: Bool, unboundAs placeholder: String) -> RenderedRequest {
        let first = render(template, state: &state, sendCookies: sendCookies, ownCookie: true)
        guard !first.isSendable else { return first }
        let names = Set(first.unresolved)
        var filled = fill(template) { names.contains(String($0)) ? placeholder : nil }
        filled.headers += template.headers.filter { HTTPHeader.namesEqual($0.name, "cookie") }
        return render(filled, state: &state, sendCookies: sendCookies, ownCookie: true)
    }

    /// The template with each `{{name}}` that `value` resolves substituted, encoded for its place.
    func fill(_ template: RequestTemplate, _ value: (Substring) -> String?) -> RequestTemplate {
        var out = template
        out.path = Template.render(template.path) { name in value(name).map(Self.encodePathValue) }
        if !template.query.isEmpty {
            out.query = template.query.map { item in
                QueryItem(Template.render(item.name) { value($0) }, item.value.map { Template.render($0) { value($0) } })
            }
        }
        out.headers = template.headers.compactMap { header in
            if Self.isManaged(header.name) { return nil }
            return HTTPHeader(header.name, Template.render(header.value) { value($0) })
        }
        if var body = template.body, let text = body.text, text.utf8.contains(UInt8(ascii: "{")) {
            let type = (body.contentType ?? template.headers.value(named: "content-type") ?? "").lowercased()
            let json = type.contains("json"), form = type.contains("x-www-form-urlencoded")
            body.text = Template.render(text) { name in
                guard let v = value(name) else { return nil }
                return json ? JSONValue.escapedStringContent(v) : form ? PercentEncoding.encode(v) : v
            }
            out.body = body
        }
        return out
    }

    /// A path value percent-encoded segment by segment: a `/` inside it stays a separator.
    static func encodePathValue(_ value: String) -> String {
        guard value.utf8.contains(UInt8(ascii: "/")) else { return PercentEncoding.encode(value) }
        return value.split(separator: "/", omittingEmptySubsequences: false).map { PercentEncoding.encode($0) }.joined(separator: "/")
    }
}
