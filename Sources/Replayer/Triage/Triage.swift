import Foundation
import Mutator
import StampedeClient
import StampedeCore
import StampedeEngine
import StampedeHTTP
import Synchronization

/// Confirms, minimizes and merges a run's findings, and replays crash records as regressions.
///
/// Every probe is a fresh client: it runs the context the failing request needs (the identity
/// steps, then the steps whose extract rules bind the variables the request references), then
/// sends the candidate. A finding is re-sent `confirmations` times to confirm it, shrunk with the
/// mutator's `Shrinker` (operations, structure, request line) while the same failure reproduces,
/// and re-sent again to measure the minimal request's reproduce rate. Its final signature is that
/// of the minimal request's failure, so mutants of different parents or methods that hit one bug
/// become one finding (hits summed).
final class Triage: Sendable {
    let options: ReplayOptions
    let plan: ReplayPlan
    let renderer: StepRenderer
    let sources: VariableSources
    let engine: HTTPEngine
    let mutator: Mutator
    let routes: RouteTable
    let store: CrashStore?
    /// True once the run is asked to stop (Ctrl-C).
    let stopRequested: @Sendable () -> Bool
    /// No probe starts after this (`TriageOptions.timeLimitSeconds`).
    let deadline: ContinuousClock.Instant
    private let clients = Atomic<Int>(0)
    /// Set once the time limit stopped a probe.
    private let expired = Atomic<Bool>(false)
    private let problems = Mutex<[String]>([])

    /// Fresh clients' indexes start here, far from the load's virtual clients.
    static let firstClientIndex = 1_000_000

    init(
        options: ReplayOptions, plan: ReplayPlan, renderer: StepRenderer, engine: HTTPEngine, mutator: Mutator?,
        isStopped: @escaping @Sendable () -> Bool = { false }
    ) {
        stopRequested = isStopped
        deadline = ContinuousClock.now + .milliseconds(Int64(options.triage.timeLimitSeconds * 1000))
        store = options.triage.crashDirectory.map { CrashStore(directory: $0) }
        self.options = options
        self.plan = plan
        self.renderer = renderer
        self.sources = VariableSources(sessions: plan.corpusSessions)
        self.engine = engine
        self.mutator = mutator ?? Mutator(sessions: plan.corpusSessions)
        var paths: [String] = []
        for session in plan.corpusSessions {
            for step in session.steps { paths.append(renderer.rewrite(path: step.request.path)) }
        }
        routes = RouteTable(paths: paths)
    }

    // MARK: - Findings

    /// Triages findings (at most `parallelism` at a time) and merges those whose final
    /// signatures coincide. Findings triage does not handle (expectation failures, or without
    /// an input to re-send) are returned as they are.
    func run(findings: [Finding], seeds: [String: TriageSeed], known: [String: Session] = [:]) async -> [Finding] {
        // Hangs first: each of their probes takes a whole request timeout, so they set the pace.
        let order = findings.indices.sorted { a, b in
            let ta = findings[a].failureClass == .timeout, tb = findings[b].failureClass == .timeout
            return ta != tb ? ta : a < b
        }
        let triaged = await forEachLimited(order.map { findings[$0] }) { finding in
            guard !self.isStopped() else { return finding }
            var done: Finding
            if let record = known[finding.signature] {
                done = Self.known(finding, record: record)
            } else {
                done = await self.triage(finding, seed: seeds[finding.signature])
            }
            self.save(&done)
            return done
        }
        var restored = [Finding?](repeating: nil, count: findings.count)
        for (i, f) in zip(order, triaged) { restored[i] = f }
        return Self.merge(restored.compactMap { $0 })
    }

    /// A finding whose signature is a crash record that still fails this run: it is that bug,
    /// already confirmed and minimized, so it is not triaged again (its hits go to the record).
    static func known(_ finding: Finding, record: Session) -> Finding {
        var finding = finding
        guard let crash = record.crash, let last = record.steps.last else { return finding }
        finding.rawSignatures = [finding.signature]
        finding.confirmed = true
        finding.reproduceRate = crash.reproduceRate
        finding.minimized = crash.minimized
        finding.minimal = FindingExample(
            session: crash.parentSession, step: crash.parentStep, seed: crash.seed, operations: [], request: last.request,
            url: "", curl: crash.curl, status: Int(crash.failure) ?? 0, responseExcerpt: "")
        var updated = record
        updated.crash?.hits = finding.hits
        updated.crash?.firstSeen = finding.firstSeen
        updated.crash?.lastSeen = finding.lastSeen
        finding.crashRecord = updated
        return finding
    }

    /// True once the run is asked to stop or the time limit passed: no new finding or probe starts.
    func isStopped() -> Bool {
        if stopRequested() { return true }
        guard ContinuousClock.now >= deadline else { return false }
        expired.store(true, ordering: .relaxed)
        return true
    }

    /// Whether the time limit cut triage short.
    var timedOut: Bool { expired.load(ordering: .relaxed) }

    /// Problems met while saving crash records, for the report's notes.
    var saveProblems: [String] { problems.withLock { $0 } }

    /// Writes a confirmed finding's crash record as soon as it is known, so an interrupted
    /// triage keeps what it finished.
    func save(_ finding: inout Finding) {
        guard let store, let record = finding.crashRecord else { return }
        do {
            let (path, outcome) = try store.save(record, baseURL: options.load.baseURL)
            finding.crashFile = path
            finding.crashStatus = outcome.rawValue
        } catch {
            problems.withLock { $0.append("cannot save the crash record of \(finding.signature): \(error)") }
        }
    }

    /// One finding: confirm, shrink, confirm the minimal request, build its crash record.
    func triage(_ finding: Finding, seed: TriageSeed?) async -> Finding {
        var finding = finding
        let handled: Set<FailureClass> = [.serverError, .transport, .timeout, .protocol]
        guard handled.contains(finding.failureClass), let seed,
            seed.sessionIndex < plan.corpusSessions.count,
            seed.stepIndex < plan.corpusSessions[seed.sessionIndex].steps.count
        else { return finding }
        let session = plan.corpusSessions[seed.sessionIndex]
        let parent = session.steps[seed.stepIndex].request
        let expect = session.steps[seed.stepIndex].expect?.statusClass
        let isTimeout = finding.failureClass == .timeout
        // Every reproduction of a hang costs a whole request timeout: one confirmation, and the
        // shrink's last accepted probe stands for the minimal request's.
        let attempts = isTimeout ? 1 : options.triage.confirmations
        var target = TriageTarget(
            failureClass: finding.failureClass, failure: finding.failure, fingerprint: finding.fingerprint,
            route: routes.route(of: renderer.rewrite(path: seed.request.request.path)), routes: routes)

        // Confirm: logged in first (as half the monkeys and every user are); without the identity
        // steps only if that does not reproduce it.
        var withIdentity = !seed.request.dropCookies
        var confirmation: [TriageObservation] = []
        for identity in withIdentity ? [true, false] : [false] {
            withIdentity = identity
            let context = self.context(for: seed, request: seed.request, withIdentity: identity)
            confirmation = await probe(context: context, candidate: seed.request, times: attempts, target: target, expectClass: expect)
            if !confirmation.isEmpty { break }
        }
        guard let first = confirmation.first else {
            finding.confirmed = false
            finding.reproduceRate = 0
            return finding
        }
        target.accept(first, routes: routes)

        // Shrink while the same failure reproduces.
        let budget = isTimeout ? options.triage.timeoutBudget : options.triage.budget
        let shrinker = Shrinker(budget: budget, normalizeRequestLine: true)
        let useIdentity = withIdentity
        var lastAccepted: (request: MutatedRequest, observed: TriageObservation)?
        let result: ShrinkResult
        /// Still fails the same way (the shrinker's predicate).
        func stillFails(_ candidate: MutatedRequest) async -> Bool {
            guard !isStopped() else { return false }
            let observed = await probe(
                context: context(for: seed, request: candidate, withIdentity: useIdentity && !candidate.dropCookies),
                candidate: candidate, expectClass: expect)
            guard target.matches(observed) else { return false }
            target.accept(observed, routes: routes)
            lastAccepted = (candidate, observed)
            return true
        }
        if seed.operations.isEmpty {
            result = await shrinker.shrink(seed.request, reference: parent) { await stillFails($0) }
        } else {
            result = await shrinker.shrink(parent: parent, operations: seed.operations, using: mutator) { await stillFails($0) }
        }

        // Confirm the minimal request; a shrink that only reproduced by chance falls back to the input.
        var minimal = result.request
        var minimalContext = context(for: seed, request: minimal, withIdentity: useIdentity && !minimal.dropCookies)
        var final: [TriageObservation]
        var rate: Double
        if isTimeout {
            if let lastAccepted, lastAccepted.request == minimal {
                final = [lastAccepted.observed]
            } else if minimal == seed.request {
                final = confirmation
            } else {
                final = await probe(context: minimalContext, candidate: minimal, times: 1, target: target, expectClass: expect)
            }
            rate = Double(confirmation.count) / Double(attempts)
        } else {
            final = await probe(context: minimalContext, candidate: minimal, times: attempts, target: target, expectClass: expect)
            rate = Double(final.count) / Double(attempts)
        }
        var minimized = true
        var operations = result.operations
        if final.isEmpty {
            minimal = seed.request
            minimalContext = context(for: seed, request: minimal, withIdentity: useIdentity && !minimal.dropCookies)
            final = confirmation
            rate = Double(confirmation.count) / Double(attempts)
            minimized = false
            operations = seed.operations
        }
        let observed = Self.representative(final)
        let signature = observed.signature
        let curl = CurlCommand.render(
            method: observed.request.method, url: observed.request.url, headers: observed.request.headers,
            body: observed.request.body)
        finding.rawSignatures = [finding.signature]
        finding.signature = signature.value
        finding.method = observed.method
        finding.endpoint = observed.endpoint
        finding.failure = observed.failure
        finding.fingerprint = signature.fingerprint
        finding.confirmed = true
        finding.reproduceRate = (rate * 1000).rounded() / 1000
        finding.minimized = minimized
        finding.minimal = FindingExample(
            session: session.id, step: seed.stepIndex, seed: seed.mutantSeed, operations: operations.map(\.description),
            request: observed.rendered, url: observed.request.url, curl: curl, status: observed.status,
            responseExcerpt: observed.excerpt)
        let failing = Step(request: minimal.request, endpoint: observed.endpoint)
        finding.crashRecord = Session(
            id: "crash-" + signature.value,
            name: "\(finding.failureClass.rawValue) \(observed.failure) \(observed.endpoint)",
            steps: minimalContext + [failing],
            crash: CrashInfo(
                signature: signature.value, failure: observed.failure, failureClass: finding.failureClass.rawValue,
                endpoint: observed.endpoint, mutations: seed.operations.map(\.description),
                seed: seed.mutantSeed ?? options.seed, parentSession: session.id, parentStep: seed.stepIndex,
                minimized: minimized, firstSeen: finding.firstSeen, lastSeen: finding.lastSeen, hits: finding.hits,
                reproduceRate: finding.reproduceRate ?? 0, curl: curl))
        return finding
    }

    /// Findings with the same final signature become one: hits summed, earliest first sighting,
    /// latest last sighting, the smallest minimal request.
    static func merge(_ findings: [Finding]) -> [Finding] {
        var order: [String] = []
        var bySignature: [String: Finding] = [:]
        for f in findings {
            guard f.confirmed == true, var existing = bySignature[f.signature], existing.confirmed == true else {
                if bySignature[f.signature] == nil {
                    order.append(f.signature)
                    bySignature[f.signature] = f
                }
                continue
            }
            existing.hits += f.hits
            existing.rawSignatures = (existing.rawSignatures ?? []) + (f.rawSignatures ?? [])
            if f.firstSeenOffset < existing.firstSeenOffset {
                existing.firstSeen = f.firstSeen
                existing.firstSeenOffset = f.firstSeenOffset
                existing.example = f.example
                existing.source = f.source
            }
            if f.lastSeen > existing.lastSeen { existing.lastSeen = f.lastSeen }
            if f.crashStatus == CrashStore.SaveOutcome.created.rawValue { existing.crashStatus = f.crashStatus }
            if size(f.crashRecord) < size(existing.crashRecord) {
                existing.minimal = f.minimal
                existing.minimized = f.minimized
                existing.reproduceRate = f.reproduceRate
                existing.crashRecord = f.crashRecord
            }
            existing.crashRecord?.crash?.hits = existing.hits
            existing.crashRecord?.crash?.firstSeen = existing.firstSeen
            existing.crashRecord?.crash?.lastSeen = existing.lastSeen
            bySignature[f.signature] = existing
        }
        return order.compactMap { bySignature[$0] }
    }

    /// Bytes of a crash record's failing request, the measure "smallest" uses.
    static func size(_ session: Session?) -> Int {
        guard let step = session?.steps.last else { return Int.max }
        return (try? CorpusWriter.encode(step.request).count) ?? Int.max
    }

    /// The observation a finding is named after: the commonest failure (a dropped connection
    /// may show as different CURLcodes), the first such observation.
    static func representative(_ observations: [TriageObservation]) -> TriageObservation {
        var counts: [String: Int] = [:]
        for o in observations { counts[o.failure, default: 0] += 1 }
        let best = counts.max { a, b in a.value < b.value || (a.value == b.value && a.key > b.key) }?.key
        return observations.first { $0.failure == best } ?? observations[0]
    }

    // MARK: - Regressions

    /// Replays each crash record once as a fresh client: its context steps, then its failing
    /// step. Still failing when the failure reproduces (same signature, or same class, failure
    /// and endpoint); fixed otherwise.
    func regressions(_ crashes: [(session: Session, file: String?)]) async -> [RegressionResult] {
        await forEachLimited(crashes) { entry in await self.regression(entry.session, file: entry.file) }
    }

    func regression(_ session: Session, file: String?) async -> RegressionResult {
        let crash = session.crash
        let signature = crash?.signature ?? session.id
        let failureClass = crash.flatMap { FailureClass(rawValue: $0.failureClass) } ?? .serverError
        guard let last = session.steps.last else {
            return RegressionResult(
                signature: signature, endpoint: crash?.endpoint ?? "", failureClass: failureClass.rawValue,
                failure: crash?.failure ?? "", status: .fixed, observed: "no steps", file: file, curl: crash?.curl ?? "")
        }
        let context = session.steps.dropLast().filter { options.load.autoRegister || $0.role != .register }
        let candidate = MutatedRequest(request: last.request)
        let observed = await probe(context: Array(context), candidate: candidate, expectClass: last.expect?.statusClass)
        let target = TriageTarget(
            failureClass: failureClass, failure: crash?.failure ?? "500", fingerprint: "",
            route: routes.route(of: renderer.rewrite(path: last.request.path)), routes: routes)
        let still = observed.isFailure && (observed.signature.value == signature || target.matches(observed))
        let curl = CurlCommand.render(
            method: observed.request.method, url: observed.request.url, headers: observed.request.headers,
            body: observed.request.body)
        return RegressionResult(
            signature: signature, endpoint: crash?.endpoint ?? observed.endpoint, failureClass: failureClass.rawValue,
            failure: crash?.failure ?? observed.failure, status: still ? .stillFailing : .fixed,
            observed: observed.failure, file: file, curl: curl)
    }

    // MARK: - Probes

    /// One fresh client: context, then the candidate.
    func probe(context: [Step], candidate: MutatedRequest, expectClass: Int? = nil) async -> TriageObservation {
        let index = Self.firstClientIndex + clients.wrappingAdd(1, ordering: .relaxed).oldValue
        let load = options.load
        var client = FreshClient(
            renderer: renderer, engine: engine, sources: sources,
            identity: ClientIdentity(
                index: index, runID: options.runID, prefix: load.userPrefix, domain: load.userDomain,
                password: load.userPassword),
            seed: options.seed)
        _ = await client.run(context: context)
        if context.contains(where: { $0.role == .login }) { client.login = plan.identity.filter(\.inLogin).map(\.step) }
        return await client.send(candidate, expectClass: expectClass, routes: routes)
    }

    /// `times` probes; the observations that match `target`.
    func probe(context: [Step], candidate: MutatedRequest, times: Int, target: TriageTarget, expectClass: Int? = nil) async -> [TriageObservation] {
        var hits: [TriageObservation] = []
        for _ in 0..<times {
            let observed = await probe(context: context, candidate: candidate, expectClass: expectClass)
            if target.matches(observed) { hits.append(observed) }
        }
        return hits
    }

    /// The steps a fresh client runs before `request`: the identity steps (when asked), then
    /// every step whose extract rules bind a variable the request references (and, in turn,
    /// the steps those need), from the parent session before the parent step first, else from
    /// anywhere in the corpus.
    func context(for seed: TriageSeed, request: MutatedRequest, withIdentity: Bool) -> [Step] {
        let sessions = plan.corpusSessions
        var identity: [Step] = []
        if withIdentity { identity = plan.identity.map(\.step) }
        let bound = Set(identity.flatMap { $0.extract.map(\.variable) })
        var chosen: [(session: Int, step: Int)] = []
        var pending = Self.references(in: request.request).filter { !bound.contains($0) }
        var resolved = bound
        while let name = pending.popLast() {
            guard !resolved.contains(name) else { continue }
            resolved.insert(name)
            guard let at = definer(of: name, seed: seed, skipIdentity: withIdentity) else { continue }
            if !chosen.contains(where: { $0 == at }) {
                chosen.append(at)
                let step = sessions[at.session].steps[at.step]
                pending += Self.references(in: step.request).filter { !resolved.contains($0) }
            }
        }
        // Other sessions' steps first (the parent session's may depend on them), each in corpus order.
        chosen.sort { a, b in
            let aOwn = a.session == seed.sessionIndex, bOwn = b.session == seed.sessionIndex
            if aOwn != bOwn { return !aOwn }
            return (a.session, a.step) < (b.session, b.step)
        }
        return identity + chosen.map { sessions[$0.session].steps[$0.step] }
    }

    func definer(of name: String, seed: TriageSeed, skipIdentity: Bool) -> (session: Int, step: Int)? {
        let sessions = plan.corpusSessions
        func defines(_ step: Step) -> Bool {
            if skipIdentity && (step.role == .register || step.role == .login) { return false }
            return step.extract.contains { $0.variable == name }
        }
        let own = sessions[seed.sessionIndex].steps
        for k in stride(from: min(seed.stepIndex, own.count) - 1, through: 0, by: -1) where defines(own[k]) {
            return (seed.sessionIndex, k)
        }
        for (s, session) in sessions.enumerated() where s != seed.sessionIndex {
            if let k = session.steps.firstIndex(where: defines) { return (s, k) }
        }
        return nil
    }

    /// Variables a template references that an earlier step must bind (not built-ins).
    static func references(in request: RequestTemplate) -> [String] {
        var texts = [request.path] + request.headers.map(\.value)
        for item in request.query {
            texts.append(item.name)
            if let value = item.value { texts.append(value) }
        }
        if let text = request.body?.text { texts.append(text) }
        var names: [String] = []
        for text in texts {
            for name in Template.variables(in: text) where !isBuiltIn(name) {
                let n = String(name)
                if !names.contains(n) { names.append(n) }
            }
        }
        return names
    }

    static func isBuiltIn(_ name: Substring) -> Bool {
        name.hasPrefix("vu.") || name.hasPrefix("cookie.") || name.hasPrefix("random.") || name.hasPrefix("now.")
            || name == "run.id"
    }

    // MARK: - Concurrency

    /// Maps items with at most `parallelism` of them in progress; results in input order.
    func forEachLimited<Item: Sendable, Result: Sendable>(
        _ items: [Item], _ body: @escaping @Sendable (Item) async -> Result
    ) async -> [Result] {
        guard !items.isEmpty else { return [] }
        let width = min(options.triage.parallelism, items.count)
        return await withTaskGroup(of: (Int, Result).self) { group in
            var results = [Result?](repeating: nil, count: items.count)
            var next = 0
            for _ in 0..<width {
                let i = next
                group.addTask { (i, await body(items[i])) }
                next += 1
            }
            while let (i, value) = await group.next() {
                results[i] = value
                if next < items.count {
                    let j = next
                    group.addTask { (j, await body(items[j])) }
                    next += 1
                }
            }
            return results.compactMap { $0 }
        }
    }
}
