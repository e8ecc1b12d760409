import APISpec
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
        store = options.triage.crashDirectory.map {
            CrashStore(
                directory: $0,
                reproducer: ReproducerSettings(
                    load: options.load, csrfHeader: renderer.csrf.headerName, csrfCookie: renderer.csrf.cookieName,
                    timeoutSeconds: Double(options.requestTimeoutMs) / 1000))
        }
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
        let triaged = await mapLimited(order.map { findings[$0] }, width: options.triage.parallelism) { finding in
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
            session: crash.parentSession, stepIndex: crash.parentStep, seed: crash.seed, operations: [], request: last.request,
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
        guard let store, var record = finding.crashRecord, let crash = record.crash else { return }
        // What this run saw is one sighting: saving it again (or merging its corpus twice) does not add it twice.
        let key = CrashInfo.sightingKey(signature: crash.signature, runID: options.runID, shard: options.shard.index)
        record.crash?.sightings = [key: crash.hits]
        do {
            let (path, outcome) = try store.save(record, baseURL: options.load.baseURL)
            finding.crashFile = path
            finding.crashScript = record.crash.map { store.scriptPath(signature: $0.signature) }
            finding.crashStatus = outcome.rawValue
        } catch {
            problems.withLock { $0.append("cannot save the crash record of \(finding.signature): \(error)") }
        }
    }

    /// One finding: confirm, shrink, confirm the minimal request, build its crash record.
    func triage(_ finding: Finding, seed: TriageSeed?) async -> Finding {
        var finding = finding
        guard let job = job(for: finding, seed: seed) else { return finding }
        guard let confirmed = await confirm(job) else {
            finding.confirmed = false
            finding.reproduceRate = 0
            return finding
        }
        let shrunk = await shrink(job, confirmed)
        let minimal = await confirmMinimal(job, confirmed, shrunk)
        return makeRecord(finding, job: job, minimal: minimal)
    }

    /// What triaging one finding works from; nil when triage does not handle it.
    func job(for finding: Finding, seed: TriageSeed?) -> TriageJob? {
        let handled: Set<FailureClass> = [.serverError, .transport, .timeout, .protocol, .conformance]
        guard handled.contains(finding.failureClass), let seed,
            seed.sessionIndex < plan.corpusSessions.count,
            seed.stepIndex < plan.corpusSessions[seed.sessionIndex].steps.count
        else { return nil }
        let isTimeout = finding.failureClass == .timeout
        return TriageJob(
            seed: seed, session: plan.corpusSessions[seed.sessionIndex], isTimeout: isTimeout,
            // Every reproduction of a hang costs a whole request timeout: one confirmation, and
            // the shrink's last accepted probe stands for the minimal request's.
            attempts: isTimeout ? 1 : options.triage.confirmations,
            expect: plan.corpusSessions[seed.sessionIndex].steps[seed.stepIndex].expect?.statusClass,
            target: TriageTarget(
                failureClass: finding.failureClass, failure: finding.failure, fingerprint: finding.fingerprint,
                route: routes.route(of: renderer.rewrite(path: seed.request.request.path)), routes: routes),
            negative: negativeCheck(finding, seed: seed))
    }

    /// For a `negative-accepted` finding of a negative schema request: the constraint every probe's
    /// request must still break to reproduce it.
    func negativeCheck(_ finding: Finding, seed: TriageSeed) -> NegativeCheck? {
        guard let spec = options.spec, ConformanceChecker.negativeAcceptedConstraint(in: finding.failure) != nil else { return nil }
        return spec.family.negativeCheck(of: seed.operations, session: seed.sessionIndex, firstSpecSession: plan.firstSpecSession(of: spec))
    }

    /// Confirm: logged in first (as half the monkeys and every user are); without the identity
    /// steps only if that does not reproduce it. Nil when it does not reproduce at all.
    func confirm(_ job: TriageJob) async -> TriageConfirmation? {
        for identity in job.seed.request.dropCookies ? [false] : [true, false] {
            let context = self.context(for: job.seed, request: job.seed.request, withIdentity: identity)
            let hits = await probe(
                context: context, candidate: job.seed.request, times: job.attempts, target: job.target, expectClass: job.expect,
                negative: job.negative)
            if let first = hits.first {
                var target = job.target
                target.accept(first, routes: routes)
                return TriageConfirmation(withIdentity: identity, observations: hits, target: target)
            }
        }
        return nil
    }

    /// Shrinks while the same failure reproduces.
    func shrink(_ job: TriageJob, _ confirmed: TriageConfirmation) async -> TriageShrink {
        let shrinker = Shrinker(
            budget: job.isTimeout ? options.triage.timeoutBudget : options.triage.budget, normalizeRequestLine: true)
        var target = confirmed.target
        var lastAccepted: (request: MutatedRequest, observed: TriageObservation)?
        /// Still fails the same way (the shrinker's predicate).
        func stillFails(_ candidate: MutatedRequest) async -> Bool {
            guard !isStopped() else { return false }
            let observed = await probe(
                context: context(for: job.seed, request: candidate, withIdentity: confirmed.withIdentity && !candidate.dropCookies),
                candidate: candidate, expectClass: job.expect, negative: job.negative)
            guard target.matches(observed) else { return false }
            target.accept(observed, routes: routes)
            lastAccepted = (candidate, observed)
            return true
        }
        let parent = job.session.steps[job.seed.stepIndex].request
        var result: ShrinkResult
        // A schema request (SpecFuzz) is not re-derived from its parent: it shrinks structurally, and
        // stays counted under its schema operation (the report's operator yield, the crash record).
        if job.seed.operations.isEmpty || SchemaFamily.isSchema(job.seed.operations) {
            result = await shrinker.shrink(job.seed.request, reference: parent) { await stillFails($0) }
            result.operations = job.seed.operations
        } else {
            result = await shrinker.shrink(parent: parent, operations: job.seed.operations, using: mutator) { await stillFails($0) }
        }
        return TriageShrink(result: result, target: target, lastAccepted: lastAccepted)
    }

    /// Confirms the minimal request; a shrink that only reproduced by chance falls back to the input.
    func confirmMinimal(_ job: TriageJob, _ confirmed: TriageConfirmation, _ shrunk: TriageShrink) async -> TriageMinimal {
        let minimal = shrunk.result.request
        let context = context(for: job.seed, request: minimal, withIdentity: confirmed.withIdentity && !minimal.dropCookies)
        let confirmationRate = Double(confirmed.observations.count) / Double(job.attempts)
        var final: [TriageObservation]
        var rate: Double
        if job.isTimeout {
            if let last = shrunk.lastAccepted, last.request == minimal {
                final = [last.observed]
            } else if minimal == job.seed.request {
                final = confirmed.observations
            } else {
                final = await probe(
                    context: context, candidate: minimal, times: 1, target: shrunk.target, expectClass: job.expect, negative: job.negative)
            }
            rate = confirmationRate
        } else {
            final = await probe(
                context: context, candidate: minimal, times: job.attempts, target: shrunk.target, expectClass: job.expect,
                negative: job.negative)
            rate = Double(final.count) / Double(job.attempts)
        }
        guard !final.isEmpty else {
            let input = job.seed.request
            return TriageMinimal(
                request: input,
                context: self.context(for: job.seed, request: input, withIdentity: confirmed.withIdentity && !input.dropCookies),
                observations: confirmed.observations, rate: confirmationRate, minimized: false, operations: job.seed.operations)
        }
        return TriageMinimal(
            request: minimal, context: context, observations: final, rate: rate, minimized: true,
            operations: shrunk.result.operations)
    }

    /// The triaged finding: final signature, minimal example and crash record.
    func makeRecord(_ finding: Finding, job: TriageJob, minimal: TriageMinimal) -> Finding {
        var finding = finding
        let observed = Self.representative(minimal.observations)
        let signature = observed.signature
        let curl = CurlCommand.render(
            method: observed.request.method, url: observed.request.url, headers: observed.request.headers,
            body: observed.request.body, template: minimal.request.request)
        finding.rawSignatures = [finding.signature]
        finding.signature = signature.value
        finding.method = observed.method
        finding.endpoint = observed.endpoint
        finding.failure = observed.failure
        finding.fingerprint = signature.fingerprint
        finding.confirmed = true
        finding.reproduceRate = (minimal.rate * 1000).rounded() / 1000
        finding.minimized = minimal.minimized
        finding.minimal = FindingExample(
            session: job.session.id, stepIndex: job.seed.stepIndex, seed: job.seed.mutantSeed,
            operations: minimal.operations.map(\.description), request: observed.rendered, url: observed.request.url, curl: curl,
            status: observed.status, responseExcerpt: observed.excerpt)
        let failing = Step(request: minimal.request.request, endpoint: observed.endpoint)
        let crash = CrashInfo(
            signature: signature.value, failure: observed.failure, failureClass: finding.failureClass.rawValue,
            endpoint: observed.endpoint, mutations: job.seed.operations.map(\.description),
            seed: job.seed.mutantSeed ?? options.seed, parentSession: job.session.id, parentStep: job.seed.stepIndex,
            minimized: minimal.minimized, firstSeen: finding.firstSeen, lastSeen: finding.lastSeen, hits: finding.hits,
            reproduceRate: finding.reproduceRate ?? 0, curl: curl, bodyCheck: observed.bodyCheck)
        finding.crashRecord = Session(
            id: "crash-" + signature.value, name: "\(finding.failureClass.rawValue) \(observed.failure) \(observed.endpoint)",
            steps: minimal.context + [failing], crash: crash)
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
        await mapLimited(crashes, width: options.triage.parallelism) { entry in await self.regression(entry.session, file: entry.file) }
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
        let observed = await probe(
            context: Array(context), candidate: candidate, expectClass: last.expect?.statusClass, negative: negativeCheck(record: session))
        let target = TriageTarget(
            failureClass: failureClass, failure: crash?.failure ?? "500", fingerprint: "",
            route: routes.route(of: renderer.rewrite(path: last.request.path)), routes: routes)
        let still = observed.isFailure && (observed.signature.value == signature || target.matches(observed))
        let curl = CurlCommand.render(
            method: observed.request.method, url: observed.request.url, headers: observed.request.headers,
            body: observed.request.body, template: last.request)
        return RegressionResult(
            signature: signature, endpoint: crash?.endpoint ?? observed.endpoint, failureClass: failureClass.rawValue,
            failure: crash?.failure ?? observed.failure, status: still ? .stillFailing : .fixed,
            observed: observed.failure, file: file, curl: curl)
    }

    /// A `negative-accepted` crash record's constraint on its spec operation (the parent session).
    func negativeCheck(record: Session) -> NegativeCheck? {
        guard let spec = options.spec, let crash = record.crash,
            let constraint = ConformanceChecker.negativeAcceptedConstraint(in: crash.failure),
            let session = plan.corpusSessions.firstIndex(where: { $0.id == crash.parentSession })
        else { return nil }
        return spec.family.negativeCheck(constraint: constraint, session: session, firstSpecSession: plan.firstSpecSession(of: spec))
    }

    // MARK: - Probes

    /// One fresh client: context, then the candidate (judged for `negative-accepted` with `negative`).
    func probe(context: [Step], candidate: MutatedRequest, expectClass: Int? = nil, negative: NegativeCheck? = nil) async -> TriageObservation {
        let index = Self.firstClientIndex + clients.wrappingAdd(1, ordering: .relaxed).oldValue
        let load = options.load
        var client = FreshClient(
            renderer: renderer, engine: engine, sources: sources,
            identity: ClientIdentity(
                index: index, runID: options.runID, prefix: load.userPrefix, domain: load.userDomain,
                password: load.userPassword),
            seed: options.seed)
        client.spec = options.spec
        _ = await client.run(context: context)
        if context.contains(where: { $0.role == .login }) { client.login = plan.identity.filter(\.inLogin).map(\.step) }
        return await client.send(candidate, expectClass: expectClass, routes: routes, negative: negative)
    }

    /// `times` probes; the observations that match `target`.
    func probe(
        context: [Step], candidate: MutatedRequest, times: Int, target: TriageTarget, expectClass: Int? = nil, negative: NegativeCheck? = nil
    ) async -> [TriageObservation] {
        var hits: [TriageObservation] = []
        for _ in 0..<times {
            let observed = await probe(context: context, candidate: candidate, expectClass: expectClass, negative: negative)
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
}

/// One finding's triage input: its seed, parent session and what reproduces it.
struct TriageJob {
    var seed: TriageSeed
    var session: Session
    var isTimeout: Bool
    /// Probes per confirmation.
    var attempts: Int
    /// The parent step's recorded status class (a 401/403 on a step recorded as 2xx/3xx re-logs in).
    var expect: Int?
    var target: TriageTarget
    /// A `negative-accepted` finding's constraint, which every reproduction must still break.
    var negative: NegativeCheck?
}

/// A confirmed finding: whether the identity steps ran, the matching probes, the target they refined.
struct TriageConfirmation {
    var withIdentity: Bool
    var observations: [TriageObservation]
    var target: TriageTarget
}

/// What shrinking left: the smallest request still failing, and the last probe that showed it.
struct TriageShrink {
    var result: ShrinkResult
    var target: TriageTarget
    var lastAccepted: (request: MutatedRequest, observed: TriageObservation)?
}

/// The request a finding's crash record keeps, with its context and confirmation probes.
struct TriageMinimal {
    var request: MutatedRequest
    var context: [Step]
    var observations: [TriageObservation]
    var rate: Double
    var minimized: Bool
    var operations: [MutationOperation]
}
