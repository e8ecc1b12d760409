public import StampedeCore

/// Turns the exchanges of one recorded session into a replayable ``Session``.
///
/// What it infers, in this order (each phase sees what the earlier ones templated):
/// 1. identity: `username`, `email`, `password` in register/login bodies become `vu.username`,
///    `vu.email`, `vu.password` everywhere in the session, so each replaying client is its own user;
/// 2. cookie echoes: a request value equal to a cookie the client sent (the double-submit CSRF
///    header) becomes `{{cookie.NAME}}`;
/// 3. correlation: a value that first appears in a response (JSON field, `Location`, `ETag`,
///    `X-…` header) and later in a request becomes a variable with an extract rule on the
///    producing step;
/// 4. volatile values: timestamps and one-off UUIDs/nonces become generators (`now.ms`, `random.uuid`);
/// 5. redaction (unless `keepSecrets`): remaining `Authorization` values, passwords and tokens;
/// 6. step metadata: role, expectation, endpoint key, SSE stream, polling (repeated GETs collapsed).
public struct Correlator: Sendable {
    public var options: RecordingOptions

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
