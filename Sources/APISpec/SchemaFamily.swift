import OpenAPIKit
public import Mutator
import SpecFuzz
import StampedeCore
import StampedeHTTP
import Synchronization

/// SpecFuzz's schema-driven requests as a monkey family: a mutant whose parent is a spec
/// operation's `spec:` session is, for half of the seeds, replaced by one of that operation's
/// schema requests (`schema.positive` or `schema.negative.<location>.<constraint>`).
///
/// The replacement is a pure function of the mutant's seed, so a run stays reproducible from its
/// seed; its single operation re-creates it (`SchemaRequestGenerator.request(for:)`), triage
/// shrinks it structurally, and the Mutator's feedback raises the energy of the spec parents whose
/// schema requests find new behaviour. Path parameters keep the values the binding found (real
/// state); the rest is generated. Recorded session headers (CSRF, bearer) that the operation does
/// not declare as parameters are carried over from the bound request.
///
/// Like the Mutator's first pass, a fixed plan comes first (`planned(firstSpecSession:)`): every
/// case of every operation once, case-major (the first positive variant of every operation, then
/// the second, …, then the negatives), shared by every monkey, so boundary values and each
/// constraint are reached within the plan's length whatever the seed.
///
/// ```swift
/// let family = SchemaFamily(binding: binding)
/// let mutant = family.replacing(mutator.nextMutant(seed: s), firstSpecSession: corpusCount)
/// ```
public final class SchemaFamily: Sendable {
    /// One generator per bound operation (spec order); nil when nothing could be generated.
    let generators: [SchemaRequestGenerator?]
    /// Headers of each bound request to carry over onto its schema requests.
    let carried: [[HTTPHeader]]
    /// The plan: (operation, case) pairs, case-major.
    let plan: [(operation: Int, seed: UInt64)]
    /// Per operation: its distinct operator names, and for each case the index of its name there.
    let operatorNames: [[String]]
    let caseOperators: [[Int]]
    let cursor = Atomic<Int>(0)
    /// Per operation: the response-bound variables its bound request needs (`script_id`, a token).
    let variables: [[String]]
    /// Per operation, per case: the case's index in `plan`.
    let planIndex: [[Int]]
    /// Plan items taken by a monkey that had not bound their variables, for one that has.
    let deferred = DeferredItems()
    /// Plan items to send again (`answered(_:status:firstSpecSession:)`), and how often each was queued.
    let again = DeferredItems()
    let retries = Mutex<[Int: Int]>([:])
    /// Times a plan case is sent again when its answer shows it never reached its constraint.
    public static let maximumRetries = 2
    /// Share of spec-parent mutants replaced by a schema request.
    public static let share = 0.5

    /// Prepares a generator for every operation of `binding`.
    public init(binding: SpecBinding) {
        let generators = binding.operations.map(Self.generator(for:))
        self.generators = generators
        carried = binding.operations.map { bound in
            let declared = bound.operation.parameters.filter { $0.location == .header }.map(\.name) + ["Content-Type", "Content-Length"]
            return bound.request.headers.filter { header in !declared.contains { HTTPHeader.namesEqual($0, header.name) } }
        }
        variables = binding.operations.map { Mutator.extractedVariables(of: $0.request) }
        operatorNames = generators.map { $0?.operatorNames ?? [] }
        caseOperators = zip(generators, operatorNames).map { generator, names in
            (generator?.caseOperatorNames ?? []).map { names.firstIndex(of: $0) ?? 0 }
        }
        let counts = generators.map { $0?.caseCount ?? 0 }
        plan = (0..<(counts.max() ?? 0)).flatMap { k in
            counts.indices.filter { k < counts[$0] }.map { (operation: $0, seed: UInt64(k)) }
        }
        var index = counts.map { [Int](repeating: 0, count: $0) }
        for (i, item) in plan.enumerated() { index[item.operation][Int(item.seed)] = i }
        planIndex = index
    }

    /// The next mutant of the plan, or nil once every case has been handed out.
    ///
    /// As in the Mutator's first pass, an item whose operation needs a variable the caller has not
    /// bound (`bound`: a script id before any script was created) is deferred and handed to the first
    /// caller that has it: sent with the id missing it would test a 404, not the constraint. Items
    /// sent again (`answered(_:status:firstSpecSession:)`) wait the same way.
    public func planned(firstSpecSession: Int, bound: (String) -> Bool = { _ in true }) -> Mutant? {
        func ready(_ item: Int) -> Bool { variables[plan[item].operation].allSatisfy(bound) }
        if let next = deferred.take(where: ready) ?? again.take(where: ready) {
            return mutant(planItem: next, firstSpecSession: firstSpecSession)
        }
        while true {
            let next = cursor.add(1, ordering: .relaxed).oldValue
            guard next < plan.count else { return nil }
            guard ready(next) else {
                deferred.append(next)
                continue
            }
            return mutant(planItem: next, firstSpecSession: firstSpecSession)
        }
    }

    /// What a plan case's request was answered. A case answered 401, 403 or 404 never reached the
    /// constraint it tests (the session or the resource was gone, say a monkey's own delete ran
    /// first): it goes back to the plan, at most `maximumRetries` times. Other mutants are ignored.
    public func answered(_ mutant: Mutant, status: Int, firstSpecSession: Int) {
        guard status == 401 || status == 403 || status == 404, let item = planItem(of: mutant, firstSpecSession: firstSpecSession)
        else { return }
        let queued = retries.withLock { retries in
            guard retries[item, default: 0] < Self.maximumRetries else { return false }
            retries[item, default: 0] += 1
            return true
        }
        if queued { again.append(item) }
    }

    /// The plan item a schema mutant is (its operation and a seed below the case count, as the plan
    /// makes them; a drawn case with such a seed is the same request); nil for any other mutant.
    func planItem(of mutant: Mutant, firstSpecSession: Int) -> Int? {
        let operation = mutant.parentSession - firstSpecSession
        guard operation >= 0, operation < planIndex.count, mutant.operations.count == 1,
            mutant.operations[0].name.hasPrefix("schema."), mutant.seed < UInt64(planIndex[operation].count)
        else { return nil }
        return planIndex[operation][Int(mutant.seed)]
    }

    func mutant(planItem next: Int, firstSpecSession: Int) -> Mutant? {
        let item = plan[next]
        return mutant(operation: item.operation, seed: item.seed, session: firstSpecSession + item.operation, step: 0)
    }

    /// Plan items handed out so far (not counting deferred ones), and the plan's length.
    public var planProgress: (sent: Int, planned: Int) {
        (min(cursor.load(ordering: .relaxed), plan.count) - deferred.count, plan.count)
    }

    /// Cases (positive and negative requests) per operation, for reports and tests.
    public var caseCounts: [Int] { generators.map { $0?.caseCount ?? 0 } }

    /// `mutant`, or for a spec parent and half of the seeds the schema request its seed picks.
    ///
    /// With `learned`, each case is drawn in proportion to its operator's learned weight
    /// (`Mutator.learnedWeights(of:)`: schema operators whose requests found new response shapes
    /// come up more often); without it, or before any feedback, every case is equally likely.
    /// - Parameters:
    ///   - firstSpecSession: the index of the first `spec:` session in the mutator's sessions.
    ///   - learned: the mutator whose feedback weights the schema operators.
    public func replacing(_ mutant: Mutant, firstSpecSession: Int, learned: Mutator? = nil) -> Mutant {
        let index = mutant.parentSession - firstSpecSession
        guard index >= 0, index < generators.count, let generator = generators[index] else { return mutant }
        var rng = SeededGenerator(seed: mutant.seed, 0x5C4E_3A16)
        guard rng.nextUnit() < Self.share else { return mutant }
        let chosen: Int
        if let learned {
            let weights = learned.learnedWeights(of: operatorNames[index])
            chosen = rng.pickWeighted(caseOperators[index].map { weights[$0] }) ?? 0
        } else {
            chosen = rng.next(below: generator.caseCount)
        }
        // The request's seed names its case (`seed % caseCount`) and keeps the rest of the draw.
        let seed = UInt64(chosen) + UInt64(generator.caseCount) * (rng.next() >> 32)
        return self.mutant(operation: index, seed: seed, session: mutant.parentSession, step: mutant.parentStep, generator)
    }

    /// The schema request of operation `index` for `seed`, as a mutant of the given parent.
    public func mutant(operation index: Int, seed: UInt64, session: Int, step: Int) -> Mutant? {
        guard index >= 0, index < generators.count, let generator = generators[index] else { return nil }
        return mutant(operation: index, seed: seed, session: session, step: step, generator)
    }

    func mutant(operation index: Int, seed: UInt64, session: Int, step: Int, _ generator: SchemaRequestGenerator) -> Mutant {
        var made = generator.request(seed: seed).mutant(session: session, step: step)
        for header in carried[index] where !made.request.headers.contains(named: header.name) {
            made.request.headers.append(header)
        }
        return made
    }

    /// The constraint a negative schema mutant (its `operations`, its parent `session`) was made to
    /// break, with what re-checks it; nil for other mutants. Value-free (`query limit: minimum`), so a
    /// lenient server gives one `negative-accepted` finding per operation, part and constraint.
    public func negativeCheck(of operations: [MutationOperation], session: Int, firstSpecSession: Int) -> NegativeCheck? {
        guard let operation = operations.first, operations.count == 1, SchemaRequest.parse(operationName: operation.name) != nil,
            let generator = generator(session: session, firstSpecSession: firstSpecSession),
            let violation = generator.request(for: operation)?.violation
        else { return nil }
        return NegativeCheck(generator: generator, constraint: violation.description)
    }

    /// The check of a `constraint` named by a finding (a crash record's failure) on spec session `session`.
    public func negativeCheck(constraint: String, session: Int, firstSpecSession: Int) -> NegativeCheck? {
        generator(session: session, firstSpecSession: firstSpecSession).map { NegativeCheck(generator: $0, constraint: constraint) }
    }

    func generator(session: Int, firstSpecSession: Int) -> SchemaRequestGenerator? {
        let index = session - firstSpecSession
        return index >= 0 && index < generators.count ? generators[index] : nil
    }

    /// Whether operations came from this family (triage shrinks such a request structurally).
    public static func isSchema(_ operations: [MutationOperation]) -> Bool {
        operations.contains { $0.name.hasPrefix("schema.") }
    }

    /// The generator of one bound operation: the bound request's path with its parameter segments
    /// put back as `{name}`, bound to the values the binding found (generated ones left to the schema).
    static func generator(for bound: BoundOperation) -> SchemaRequestGenerator? {
        let op = bound.operation
        var segments = PathMatcher.segments(bound.request.path)
        let template = PathMatcher.segments(op.path)
        let offset = segments.count - template.count
        var values: [String: String] = [:]
        if offset >= 0 {
            for (i, segment) in template.enumerated() where segment.hasPrefix("{") && segment.hasSuffix("}") {
                let name = String(segment.dropFirst().dropLast())
                let generated = bound.bindings.contains { $0.parameter == name && $0.location == .path && $0.source == .generated }
                if !generated { values[name] = segments[offset + i] }
                segments[offset + i] = segment
            }
        }
        var parameters: [SchemaParameter] = []
        for parameter in op.parameters {
            guard let location = RequestLocation(rawValue: parameter.location.rawValue) else { continue }
            parameters.append(SchemaParameter(name: parameter.name, location: location, required: parameter.required, schema: Self.schema(parameter.schema)))
        }
        let body = op.body.map { SchemaBody(contentType: $0.contentType, schema: Self.schema($0.schema), required: $0.required) }
        var path = offset >= 0 ? "/" + segments.joined(separator: "/") : op.path
        if bound.request.path.hasSuffix("/"), !path.hasSuffix("/") { path += "/" }
        let generator = SchemaRequestGenerator(path: path, method: op.method, parameters: parameters, body: body, bound: values)
        return generator.caseCount > 0 ? generator : nil
    }

    /// A spec schema as the generator takes it (no `$ref` left: the spec is dereferenced); any value when absent.
    static func schema(_ schema: JSONSchema?) -> DereferencedJSONSchema {
        schema?.dereferenced() ?? .fragment(.init())
    }
}
