public import StampedeCore
import Synchronization

/// Derives reproducible mutants from recorded steps and learns which choices find new behaviour.
///
/// A mutant is data: parent step, seed and the ordered operations. `mutant(session:step:seed:)`
/// is a pure function of the corpus and its arguments (same triple, same bytes, on any machine).
/// `nextMutant(seed:)` additionally steers the choice of parent and operators by the feedback the
/// replayer reports, so it is reproducible from the operations it records rather than from the
/// seed alone. Safe to share between replayer threads: derivation reads immutable state, and the
/// feedback statistics sit behind a mutex.
///
/// ```swift
/// let mutator = Mutator(sessions: corpus.sessions)
/// let mutant = mutator.nextMutant(seed: 42)
/// // … send mutant.request …
/// mutator.feedback(mutant, outcome: MutationOutcome(endpoint: key, status: 500, shape: shape))
/// ```
public final class Mutator: Sendable {
    /// The corpus the mutator derives from.
    public let sessions: [Session]
    /// Stacking, weights and adaptivity.
    public let configuration: MutatorConfiguration

    /// (session, step) of every step, in corpus order: the parents `nextMutant` chooses among.
    let parents: [(session: Int, step: Int)]
    /// A context per parent, built once with its parsed JSON body and its operator-facing facts:
    /// deriving a mutant starts from a copy of it (building one there cost a copy more).
    let parentContexts: [[MutationContext]]
    let donors: [[UInt8]]
    let operators: [MutationOperator]
    let baseWeights: [Double]
    let operatorIndex: [String: Int]
    let requirements: [MutationContext.Facts]
    /// Whether each operator may change the path (and nothing else): its result is judged against the scope at once.
    let changesPath: [Bool]
    let state: Mutex<FeedbackState>
    let pathScope: PathScope
    /// Path operations taken back and mutants made again because their path left the scope.
    let droppedOutOfScope = Atomic<Int>(0)

    /// Mutants made again with another seed because their path left the scope, before the
    /// last attempt gives up and the parent is sent as recorded.
    static let scopeAttempts: UInt64 = 32
    /// Values and paths learned from responses during this run.
    let discovery: Mutex<DiscoveryState>
    /// First path segments a discovered path must start with.
    let scopeRoots: Set<String>
    /// The first pass's plan (empty when `configuration.firstPass` is off) and how far it got.
    let firstPass: [FirstPassItem]
    let firstPassCursor = Atomic<Int>(0)
    /// Plan items put back because the caller lacked a variable their parent needs.
    let firstPassDeferred = DeferredItems()
    /// Per flat parent: the variables only a response binds (`FirstPass` defers on them).
    let parentVariables: [[String]]

    /// - Parameters:
    ///   - sessions: the corpus; every step is a possible parent.
    ///   - configuration: stacking, weights and adaptivity.
    public init(sessions: [Session], configuration: MutatorConfiguration = MutatorConfiguration()) {
        self.sessions = sessions
        self.configuration = configuration
        var parents: [(Int, Int)] = []
        var parsed: [[JSONValue??]] = []
        var donors: [[UInt8]] = []
        for (s, session) in sessions.enumerated() {
            var row: [JSONValue??] = []
            for (t, step) in session.steps.enumerated() {
                parents.append((s, t))
                row.append(MutationContext.bodyKind(of: step.request) == .json ? .some(MutationContext.parseJSONBody(step.request.body)) : nil)
                if let bytes = step.request.body?.rawBytes, !bytes.isEmpty { donors.append(bytes) }
            }
            parsed.append(row)
        }
        self.parents = parents
        self.donors = donors
        // Facts depend on the donors (splicing needs some), so they are computed once those are known,
        // and cached in the context that every mutant of the parent starts from.
        self.parentContexts = zip(sessions, parsed).map { session, row in
            zip(session.steps, row).map { step, json in
                var context = MutationContext(
                    request: step.request, donors: donors, hugeSizes: configuration.hugeSizes,
                    maximumBody: configuration.maximumBodyBytes, json: json)
                _ = context.currentFacts()
                return context
            }
        }
        self.operators = MutationOperator.catalog
        self.baseWeights = operators.map { configuration.weight(for: $0.name, default: $0.weight) }
        var index: [String: Int] = [:]
        for (i, op) in operators.enumerated() { index[op.name] = i }
        self.operatorIndex = index
        self.requirements = operators.map(\.requires)
        self.changesPath = operators.map { $0.parts == [.path] }
        self.state = Mutex(FeedbackState(parentCount: parents.count, operatorWeights: baseWeights))
        let paths = sessions.flatMap { $0.steps.map(\.request.path) }
        self.scopeRoots = Discovery.scopeRoots(of: paths)
        let wellKnown = configuration.discovery ? Discovery.wellKnownPaths(prefixes: Discovery.prefixes(of: paths)) : []
        self.discovery = Mutex(DiscoveryState(wellKnown: wellKnown))
        self.pathScope = PathScope(scope: configuration.scope, sessions: sessions)
        self.parentVariables = parents.map { Self.extractedVariables(of: sessions[$0.0].steps[$0.1].request) }
        self.firstPass = configuration.firstPass ? Self.firstPassPlan(
            sessions: sessions, parents: parents, contexts: parentContexts, operators: operators, weights: baseWeights) : []
    }

    static func firstPassPlan(
        sessions: [Session], parents: [(session: Int, step: Int)], contexts: [[MutationContext]],
        operators: [MutationOperator], weights: [Double]
    ) -> [FirstPassItem] {
        var contexts = parents.map { s, t in contexts[s][t] }
        let facts = contexts.indices.map { contexts[$0].currentFacts() }  // cached: no work
        return FirstPass.plan(
            requests: parents.map { sessions[$0.session].steps[$0.step].request }, facts: facts,
            contexts: contexts, operators: operators, weights: weights)
    }

    /// Path operations taken back and mutants dropped so far because their path left `configuration.scope`.
    public var outOfScopeCount: Int { droppedOutOfScope.load(ordering: .relaxed) }

    /// Whether a mutant's path stays inside the scope (an unchanged path always does).
    public func isInScope(_ request: RequestTemplate, parent: RequestTemplate) -> Bool {
        isInScope(path: request.path, parentPath: parent.path)
    }

    /// `isInScope(_:parent:)` of a path, without copying the requests.
    func isInScope(path: String, parentPath: String) -> Bool {
        path == parentPath || pathScope.contains(path)
    }

    /// `make(seed)`, again with derived seeds while the mutant leaves the scope (each drop
    /// counted); the parent as recorded when every attempt does. `make` says whether its mutant
    /// left the scope (`leftScope(_:)`); the request of one that did may be left unfinished.
    func scoped(_ seed: UInt64, _ make: (UInt64) -> (mutant: Mutant, leftScope: Bool)) -> Mutant {
        var attemptSeed = seed
        for attempt in 0..<Self.scopeAttempts {
            let made = make(attemptSeed)
            if !made.leftScope { return made.mutant }
            droppedOutOfScope.add(1, ordering: .relaxed)
            var mix = SeededGenerator(seed: seed, 0x5C0_9E, attempt + 1)
            attemptSeed = mix.next()
        }
        var fallback = make(attemptSeed).mutant
        fallback.operations = []
        fallback.request = sessions[fallback.parentSession].steps[fallback.parentStep].request
        fallback.dropCookies = false
        return fallback
    }

    /// Whether a mutant's path left the scope.
    func leftScope(_ mutant: Mutant) -> Bool {
        !isInScope(mutant.request, parent: sessions[mutant.parentSession].steps[mutant.parentStep].request)
    }

    /// Every operator the mutator knows, in catalog order.
    public static var operators: [MutationOperatorInfo] { MutationOperator.catalog.map(\.info) }

    /// The mutant of a step for a seed, using the configured (not the learned) weights.
    ///
    /// A pure function of the corpus, the configuration and its arguments.
    /// - Precondition: `session` and `step` index an existing step.
    public func mutant(session: Int, step: Int, seed: UInt64) -> Mutant {
        scoped(seed) { seed in
            var rng = SeededGenerator(seed: seed, UInt64(session), UInt64(step))
            return derive(session: session, step: step, seed: seed, weights: baseWeights, rng: &rng, checkingScope: true)
        }
    }

    /// A mutant of a parent chosen by energy, with operators chosen by learned weights.
    ///
    /// The first calls hand out the first pass (`FirstPass`: every probe variant and every operator
    /// once on every distinct recorded request, shared by all callers) unless
    /// `configuration.firstPass` is off. After it, and with `adaptive` off (or before any feedback) this is `mutant(session:step:seed:)` of a
    /// parent drawn uniformly from the seed.
    ///
    /// - Parameters:
    ///   - bound: whether the caller has bound an extracted variable (`execution_id`); a
    ///     first-pass mutant needing one it lacks is kept for a caller that has it.
    ///   - takesFirstPass: false for a caller that cannot send the plan as recorded (a monkey
    ///     that skipped the login: every step behind it would only test the auth layer).
    public func nextMutant(seed: UInt64, bound: (String) -> Bool = { _ in true }, takesFirstPass: Bool = true) -> Mutant {
        precondition(!parents.isEmpty, "the corpus has no steps")
        if takesFirstPass, firstPassPending {
            // Discovery keeps its share while the plan runs: a link learned early is sent early.
            var rng = SeededGenerator(seed: seed, 0xF1_9A55)
            if configuration.discovery, rng.chance(0.2), let found = discoveryMutant(seed: seed) { return found }
            if let planned = firstPassMutant(seed: seed, bound: bound) { return planned }
        }
        return scoped(seed) { unscopedNextMutant(seed: $0) }
    }

    func unscopedNextMutant(seed: UInt64) -> (mutant: Mutant, leftScope: Bool) {
        var rng = SeededGenerator(seed: seed, 0x6E65_7874)
        let (cumulative, weights): ([Double], [Double]) = configuration.adaptive
            ? state.withLock { $0.snapshot() } : ([], baseWeights)
        let index: Int
        if let total = cumulative.last, total > 0 {
            let x = rng.nextUnit() * total
            var lo = 0, hi = cumulative.count - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cumulative[mid] > x { hi = mid } else { lo = mid + 1 }
            }
            index = lo
        } else {
            index = rng.next(below: parents.count)
        }
        if configuration.discovery, rng.chance(0.2), let found = discoveryMutant(seed: seed) { return (found, leftScope(found)) }
        let parent = parents[index]
        var stepRng = SeededGenerator(seed: seed, UInt64(parent.session), UInt64(parent.step))
        // Drawn before deriving (which uses its own generator): without a learned value to add, the scope is
        // judged before the body is written, and a mutant that left it is not finished.
        let learns = configuration.discovery && rng.chance(0.1)
        guard learns else {
            return derive(session: parent.session, step: parent.step, seed: seed, weights: weights, rng: &stepRng, checkingScope: true)
        }
        var mutant = derive(
            session: parent.session, step: parent.step, seed: seed, weights: weights, rng: &stepRng, checkingScope: false
        ).mutant
        addLearnedValue(to: &mutant, rng: &rng)
        return (mutant, leftScope(mutant))
    }

    /// Applies operations, in order, to a request. Operations that no longer apply (say a
    /// `query.drop` on a request without a query) are skipped.
    public func apply(_ operations: [MutationOperation], to request: RequestTemplate) -> RequestTemplate {
        applyAll(operations, to: request).request
    }

    /// Applies operations to a request, also returning whether cookies are to be dropped.
    public func applyAll(_ operations: [MutationOperation], to request: RequestTemplate) -> MutatedRequest {
        var ctx = MutationContext(
            request: request, donors: donors, hugeSizes: configuration.hugeSizes, maximumBody: configuration.maximumBodyBytes)
        for op in operations {
            var rng = SeededGenerator(seed: op.seed)
            if let k = operatorIndex[op.name] {
                _ = operators[k].apply(&ctx, &rng)
            } else {
                _ = LearnedOperators.apply(op, to: &ctx, &rng)
            }
        }
        return ctx.finish()
    }

    /// Reports what the target answered to a mutant; new (endpoint, status, shape) combinations
    /// raise the energy of its parent and the weight of its operators.
    /// Counted per operator for `statistics()` whether or not `adaptive` is on.
    public func feedback(_ mutant: Mutant, outcome: MutationOutcome) {
        let parent = flatIndex(session: mutant.parentSession, step: mutant.parentStep)
        // One name lookup per operation: catalog operators by index, the others by name.
        var ops: [Int] = []
        var extra: [String] = []
        for operation in mutant.operations {
            if let k = operatorIndex[operation.name] { ops.append(k) } else { extra.append(operation.name) }
        }
        let base = baseWeights
        let adaptive = configuration.adaptive
        state.withLock {
            $0.record(outcome: outcome, parent: parent, operators: ops, extra: extra, adaptive: adaptive, baseWeights: base)
        }
    }

    /// Learned weights of operations outside the catalog that a caller's own family draws by name
    /// (`schema.negative.query.minimum`): each rises with the share of its mutants that found a new
    /// (endpoint, status, shape), as a catalog operator's does. All 1 with `adaptive` off, so a
    /// choice made with them stays a pure function of its seed.
    public func learnedWeights(of names: [String]) -> [Double] {
        guard configuration.adaptive else { return names.map { _ in 1 } }
        return state.withLock { state in names.map { state.extraWeight($0) } }
    }

    /// Counters of the feedback so far, for reports.
    public func statistics() -> MutatorStatistics {
        let names = operators.map(\.name)
        return state.withLock { $0.statistics(names: names) }
    }

    func flatIndex(session: Int, step: Int) -> Int? {
        // Parents are in corpus order, so the session's first step is found by counting.
        guard session >= 0, session < sessions.count, step >= 0, step < sessions[session].steps.count else { return nil }
        var index = 0
        for s in 0..<session { index += sessions[s].steps.count }
        return index + step
    }

    /// Sets each operator's weight, or 0 when the facts lack what it requires; returns the sum of
    /// `max(0, weight)` in order (as `pickWeighted` sums).
    static func fill(
        _ out: UnsafeMutableBufferPointer<Double>, facts: MutationContext.Facts, requirements: [MutationContext.Facts], weights: [Double]
    ) -> Double {
        var total = 0.0
        for i in 0..<min(out.count, requirements.count, weights.count) {
            let w = facts.isSuperset(of: requirements[i]) ? weights[i] : 0
            out[i] = w
            total += max(0, w)
        }
        return total
    }

    /// A mutant of a step with operators drawn by `weights`; with `checkingScope`, whether it left the
    /// scope, judged before the body is written (the request of a mutant that left it is not finished).
    func derive(
        session: Int, step: Int, seed: UInt64, weights: [Double], rng: inout SeededGenerator, checkingScope: Bool
    ) -> (mutant: Mutant, leftScope: Bool) {
        let parentPath = sessions[session].steps[step].request.path
        var ctx = parentContexts[session][step]
        var count = 1
        while count < configuration.maximumStack, rng.chance(0.5) { count += 1 }
        let operations = drawOperations(
            count: count, on: &ctx, weights: weights, rng: &rng, scopeParentPath: checkingScope ? parentPath : nil)
        if checkingScope, !isInScope(path: ctx.request.path, parentPath: parentPath) {
            let unfinished = Mutant(
                parentSession: session, parentStep: step, seed: seed, operations: operations, request: ctx.request, dropCookies: false)
            return (unfinished, true)
        }
        let result = (consume ctx).finish()
        let mutant = Mutant(
            parentSession: session, parentStep: step, seed: seed, operations: operations,
            request: result.request, dropCookies: result.dropCookies)
        return (mutant, false)
    }

    /// Draws and applies `count` operations (each up to four tries) on `ctx`. With `scopeParentPath`, a
    /// path operation whose result leaves the scope is taken back and counts as a try, so the mutant
    /// is not made again from the start (a path operator changes nothing but the path).
    private func drawOperations(
        count: Int, on ctx: inout MutationContext, weights: [Double], rng: inout SeededGenerator, scopeParentPath: String?
    ) -> [MutationOperation] {
        var operations: [MutationOperation] = []
        operations.reserveCapacity(count)
        // The applicable operators' weights live on the stack: an array here was a heap allocation per mutant.
        withUnsafeTemporaryAllocation(of: Double.self, capacity: operators.count) { applicable in
            var total = 0.0
            var tableFacts: MutationContext.Facts? = nil
            for _ in 0..<count {
                for _ in 0..<4 {
                    // The weights of the applicable operators and their sum, again only when the facts changed.
                    let facts = ctx.currentFacts()
                    if facts != tableFacts {
                        total = Self.fill(applicable, facts: facts, requirements: requirements, weights: weights)
                        tableFacts = facts
                    }
                    guard let k = rng.pickWeighted(UnsafeBufferPointer(applicable), total: total) else { break }
                    let opSeed = rng.next()
                    var opRng = SeededGenerator(seed: opSeed)
                    let pathBefore = scopeParentPath != nil && changesPath[k] ? ctx.request.path : nil
                    if let detail = operators[k].apply(&ctx, &opRng) {
                        if let pathBefore, let scopeParentPath, !isInScope(path: ctx.request.path, parentPath: scopeParentPath) {
                            ctx.restorePath(pathBefore, facts: facts)
                            droppedOutOfScope.add(1, ordering: .relaxed)
                            continue
                        }
                        operations.append(MutationOperation(name: operators[k].name, detail: detail, seed: opSeed))
                        break
                    }
                }
            }
        }
        return operations
    }
}
