public import StampedeCore

/// The corpus arranged for replay: the identity steps every client runs first, and the sessions
/// user clients pick from by weight.
///
/// The first `register` and the first `login` step of the corpus establish a client's identity
/// (register only with `LOAD_AUTO_REGISTER`); steps with those roles are then left out of the
/// sessions, so a client logs in once and not before every session. A session left empty is
/// not picked.
public struct ReplayPlan: Sendable {
    /// One step with where it came from and its endpoint template key.
    public struct PlannedStep: Sendable {
        public var step: Step
        public var sessionID: String
        public var index: Int
        public var endpoint: String
    }

    public struct PlannedSession: Sendable {
        public var id: String
        public var weight: Double
        public var steps: [PlannedStep]
    }

    public var identity: [PlannedStep]
    /// Index in `identity` of the login step, where a client starts again after losing its session.
    public var loginIndex: Int?
    public var sessions: [PlannedSession]
    /// Every session of the corpus, as the mutator sees it.
    public var corpusSessions: [Session]

    public init(sessions: [Session], autoRegister: Bool, renderer: RequestRenderer) {
        corpusSessions = sessions
        func plan(_ step: Step, _ session: Session, _ index: Int) -> PlannedStep {
            let path = renderer.rewrite(path: step.request.path)
            return PlannedStep(
                step: step, sessionID: session.id, index: index,
                endpoint: EndpointTemplate.key(method: step.request.method, path: path))
        }
        var register: PlannedStep?
        var login: PlannedStep?
        for session in sessions {
            for (i, step) in session.steps.enumerated() {
                if step.role == .register && register == nil { register = plan(step, session, i) }
                if step.role == .login && login == nil { login = plan(step, session, i) }
            }
        }
        var identity: [PlannedStep] = []
        if autoRegister, let register { identity.append(register) }
        if let login {
            loginIndex = identity.count
            identity.append(login)
        } else {
            loginIndex = nil
        }
        self.identity = identity
        let dropRegister = register != nil
        let dropLogin = login != nil
        self.sessions = sessions.compactMap { session in
            let steps = session.steps.enumerated().compactMap { i, step -> PlannedStep? in
                if step.role == .register && dropRegister { return nil }
                if step.role == .login && dropLogin { return nil }
                return plan(step, session, i)
            }
            guard !steps.isEmpty, session.weight > 0 else { return nil }
            return PlannedSession(id: session.id, weight: session.weight, steps: steps)
        }
    }

    /// Every distinct endpoint template the corpus records.
    public var recordedEndpoints: Set<String> {
        var keys = Set(identity.map(\.endpoint))
        for s in sessions { for p in s.steps { keys.insert(p.endpoint) } }
        return keys
    }
}
