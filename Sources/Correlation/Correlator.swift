public import StampedeCore

/// Turns the exchanges of one recorded session into a replayable ``Session``.
///
/// What it infers, in this order (each phase sees what the earlier ones templated):
/// 1. roles: register, login, logout, by path word or by a password in the body;
/// 2. identity: `username`, `email`, `password` in register/login bodies (or the account a
///    register `PUT` creates, or the sign-up behind a Basic credential) become `vu.username`,
///    `vu.email`, `vu.password` everywhere in the session, so each replaying client is its own user;
///    that Basic credential becomes `Basic {{vu.basic}}`;
/// 3. cookie echoes: a request value equal to a cookie the client sent (the double-submit CSRF
///    header, an `_xsrf` form field) becomes `{{cookie.NAME}}`;
/// 4. correlation: a value that first appears in a response (JSON field, `Location`, `ETag`,
///    token or `X-…` header) and later in a request (path, query, header, JSON or form body, or a
///    path inside one of them) becomes a variable with an extract rule on the producing step;
///    path segments every request starts with are constants, never IDs;
/// 5. client-chosen names: a name a creating request introduced and later requests reuse becomes
///    `name-{{vu.tag}}`, so concurrent clients never share it;
/// 6. volatile values: timestamps and one-off UUIDs/nonces become generators (`now.ms`, `random.uuid`);
/// 7. redaction (unless `keepSecrets`): remaining credentials, one `secret.NAME` per scheme and value;
/// 8. step metadata: expectation, endpoint key, cookies set, SSE stream, polling (repeated GETs collapsed).
public struct Correlator: Sendable {
    /// What to template and redact.
    public var options: RecordingOptions

    /// A correlator with these options.
    public init(options: RecordingOptions = .init()) {
        self.options = options
    }

    /// Builds the session; `id` and `name` are stored as given.
    public func session(id: String, name: String? = nil, exchanges: [RecordedExchange]) -> Session {
        var pass = CorrelationPass(options: options, drafts: exchanges.map(StepDraft.init))
        pass.assignRoles()
        pass.templateIdentity()
        pass.templateCookieEchoes()
        pass.correlateResponses()
        pass.templateClientNames()
        pass.templateVolatileValues()
        if !options.keepSecrets { pass.redactSecrets() }
        let steps = pass.finishSteps()
        return Session(id: id, name: name ?? pass.suggestedName(), variables: pass.variables, steps: steps)
    }
}

/// Mutable state of one correlation pass.
struct CorrelationPass {
    let options: RecordingOptions
    var drafts: [StepDraft]
    var variables: [VariableDefinition] = []
    var identity: [(literal: String, variable: String)] = []

    init(options: RecordingOptions, drafts: [StepDraft]) {
        self.options = options
        self.drafts = drafts
    }

    mutating func define(_ name: String, _ kind: VariableDefinition.Kind, _ origin: String) {
        guard !variables.contains(where: { $0.name == name }) else { return }
        variables.append(VariableDefinition(name: name, kind: kind, origin: origin))
    }
}
