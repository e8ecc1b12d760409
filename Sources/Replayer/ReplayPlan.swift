import APISpec
public import StampedeClient
public import StampedeCore

/// The corpus arranged for replay: the identity steps every client runs first, and the sessions
/// user clients pick from by weight.
///
/// The first `register` step (with `LOAD_AUTO_REGISTER`) and the first `login` step establish a
/// client's identity, each together with its prerequisites, all in recorded order: the earlier
/// steps of its session that extract a variable it references or that set a cookie it needs
/// (`sets_cookies`: a `{{cookie.NAME}}` it references, or, for the identity step itself, any
/// cookie, since the jar sends them all — a `GET /login` setting a per-form XSRF cookie). A corpus
/// recorded without `sets_cookies` falls back to every earlier GET of the session. Steps with the
/// identity roles are left out of the sessions, so a client logs in once and not before every
/// session; a session left empty is not picked.
public struct ReplayPlan: Sendable {
    /// One step with where it came from and its endpoint template key.
    public struct PlannedStep: Sendable {
        /// The corpus step.
        public var step: Step
        /// The id of its session.
        public var sessionID: String
        /// 0-based index in its session.
        public var index: Int
        /// Endpoint template key.
        public var endpoint: String
        /// Whether a re-login runs it (the login and its prerequisites, not the sign-up).
        public var inLogin: Bool = false
    }

    /// A session as user clients replay it.
    public struct PlannedSession: Sendable {
        /// The corpus session id.
        public var id: String
        /// Relative weight when a client picks its next session.
        public var weight: Double
        /// Its steps without the identity ones.
        public var steps: [PlannedStep]
    }

    /// Steps each user client runs once before its sessions: sign-up, login and their prerequisites.
    public var identity: [PlannedStep]
    /// Index in `identity` of the first step of the login group, where a client starts again
    /// after losing its session (steps outside the group are skipped then).
    public var loginIndex: Int?
    /// The sessions user clients pick from (none empty).
    public var sessions: [PlannedSession]
    /// Every session of the corpus, as the mutator sees it.
    public var corpusSessions: [Session]

    /// Arranges `sessions` for replay.
    public init(sessions: [Session], autoRegister: Bool, renderer: StepRenderer) {
        corpusSessions = sessions
        func plan(_ step: Step, _ session: Session, _ index: Int) -> PlannedStep {
            PlannedStep(
                step: step, sessionID: session.id, index: index,
                endpoint: EndpointTemplate.key(method: step.request.method, path: renderer.rewrite(path: step.request.path)))
        }
        let register = Self.first(.register, in: sessions)
        let login = Self.first(.login, in: sessions)
        let fallback = !sessions.contains { $0.steps.contains { !$0.setsCookies.isEmpty } }
        var groups: [(session: Int, steps: [Int], inLogin: Bool)] = []
        if autoRegister, let register {
            groups.append((register.session, Self.identityGroup(register, sessions, fallback), false))
        }
        if let login {
            // Steps up to a sign-up in the same session belong to the sign-up, not to every re-login.
            let from = register.map { $0.session == login.session && $0.step < login.step ? $0.step + 1 : 0 } ?? 0
            groups.append((login.session, Self.identityGroup(login, sessions, fallback, from: from), true))
        }
        var identity: [(rank: Int, step: PlannedStep)] = []
        for (s, steps, inLogin) in groups {
            let rank = groups.firstIndex { $0.session == s } ?? 0
            for k in steps.sorted() {
                if let existing = identity.firstIndex(where: { $0.rank == rank && $0.step.index == k }) {
                    if inLogin { identity[existing].step.inLogin = true }
                    continue
                }
                var planned = plan(sessions[s].steps[k], sessions[s], k)
                planned.inLogin = inLogin
                identity.append((rank, planned))
            }
        }
        // Sign-up and login in one session: recorded order across both groups.
        identity.sort { a, b in (a.rank, a.step.index) < (b.rank, b.step.index) }
        self.identity = identity.map(\.step)
        loginIndex = self.identity.firstIndex(where: \.inLogin)
        // The identity steps' prerequisites (a `GET /login` that sets an XSRF cookie) run with the
        // identity, once per client and again on re-login — not in every pass of their session.
        var identitySteps = Set<[Int]>()
        for (s, steps, _) in groups { for k in steps { identitySteps.insert([s, k]) } }
        self.sessions = sessions.enumerated().compactMap { s, session in
            let steps = session.steps.enumerated().compactMap { i, step -> PlannedStep? in
                if step.role == .register && register != nil { return nil }
                if step.role == .login && login != nil { return nil }
                if identitySteps.contains([s, i]) { return nil }
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

    /// The steps that establish an identity: its prerequisites plus every earlier step of its
    /// session, since those were recorded logged out (a `GET /login` replayed while logged in is
    /// redirected), then the role step itself; in recorded order.
    static func identityGroup(
        _ role: (session: Int, step: Int), _ sessions: [Session], _ fallback: Bool, from: Int = 0
    ) -> [Int] {
        let needed = StepDependencies.prerequisites(
            of: role.step, in: sessions[role.session], identity: true, getFallback: fallback)
        return Array(Set(needed).union(min(from, role.step)...role.step)).sorted()
    }

    static func first(_ role: StepRole, in sessions: [Session]) -> (session: Int, step: Int)? {
        for (s, session) in sessions.enumerated() {
            if let k = session.steps.firstIndex(where: { $0.role == role }) { return (s, k) }
        }
        return nil
    }
}

extension ReplayPlan {
    /// Index in `corpusSessions` of the first `spec:` session (`--openapi` appends one per operation).
    func firstSpecSession(of spec: SpecRun) -> Int {
        corpusSessions.count - spec.binding.operations.count
    }
}
