import APISpec
import DemoTarget
import Mutator
import SpecFuzz
import StampedeCore
import StampedeHTTP
import Testing

/// SpecFuzz's schema requests as the monkeys' family for the demo spec bound to corpora/demo.
@Suite struct SchemaFamilyTests {
    static func binding() async throws -> SpecBinding {
        let server = try await DemoServer.start(DemoServerOptions(defects: false))
        let spec = try await DemoSpec.spec(from: server)
        await server.stop()
        return SpecBinding(spec: spec, sessions: try DemoSpec.corpus())
    }

    @Test func thePlanHandsOutEveryCaseOfEveryOperationOnceThenStops() async throws {
        let binding = try await Self.binding()
        let family = SchemaFamily(binding: binding)
        let first = 100  // where the `spec:` sessions would start in the mutator's list
        var seen: [Int: Set<MutationOperation>] = [:]
        while let mutant = family.planned(firstSpecSession: first) {
            #expect(mutant.operations.count == 1 && mutant.parentStep == 0)
            seen[mutant.parentSession - first, default: []].insert(mutant.operations[0])
        }
        #expect(family.planned(firstSpecSession: first) == nil)
        #expect(family.planProgress.sent == family.planProgress.planned)
        for (index, count) in family.caseCounts.enumerated() {
            #expect(seen[index]?.count ?? 0 == count, "\(binding.operations[index].operation.id)")
        }
        #expect(family.caseCounts.allSatisfy { $0 > 0 }, "\(zip(binding.operations.map(\.operation.id), family.caseCounts))")
    }

    /// A case whose request needs `{{script_id}}` waits for a monkey that has bound it: the one that
    /// has not gets the other cases, and every case is still handed out exactly once.
    @Test func aCaseNeedingAnUnboundVariableWaitsForAMonkeyThatHasIt() async throws {
        let binding = try await Self.binding()
        let family = SchemaFamily(binding: binding)
        let first = 100
        let update = try #require(binding.operations.firstIndex { $0.operation.id == "updateScript" })
        var early: [Mutant] = []
        while let mutant = family.planned(firstSpecSession: first, bound: { $0 != "script_id" }) {
            early.append(mutant)
        }
        #expect(!early.isEmpty)
        #expect(early.allSatisfy { !$0.request.path.contains("{{script_id}}") }, "\(early.map(\.request.path))")
        #expect(family.planProgress.sent < family.planProgress.planned)
        var late: [Mutant] = []
        while let mutant = family.planned(firstSpecSession: first, bound: { _ in true }) {
            late.append(mutant)
        }
        #expect(late.contains { $0.parentSession - first == update })
        #expect(late.allSatisfy { $0.request.path.contains("{{script_id}}") })
        #expect(early.count + late.count == family.caseCounts.reduce(0, +))
        #expect(family.planProgress.sent == family.planProgress.planned)
    }

    /// A case answered 404 (its script was deleted) or 401 comes back from the plan, at most
    /// `maximumRetries` times; one answered 422 or 200, or a mutant that is no plan case, does not.
    @Test func aCaseThatNeverReachedItsConstraintIsSentAgainAFewTimes() async throws {
        let family = SchemaFamily(binding: try await Self.binding())
        let first = 100
        let taken = try #require(family.planned(firstSpecSession: first))
        let other = try #require(family.planned(firstSpecSession: first))
        family.answered(other, status: 422, firstSpecSession: first)
        family.answered(other, status: 200, firstSpecSession: first)
        var drawn = taken
        drawn.seed += UInt64(family.caseCounts[taken.parentSession - first])  // a drawn case, not the plan's
        family.answered(drawn, status: 404, firstSpecSession: first)
        var again = 0
        for status in [404, 401, 404] {
            family.answered(taken, status: status, firstSpecSession: first)
            if let next = family.planned(firstSpecSession: first), next == taken { again += 1 }
        }
        #expect(again == SchemaFamily.maximumRetries)
        var rest = 0
        while let next = family.planned(firstSpecSession: first) {
            #expect(next != taken && next != other)
            rest += 1
        }
        // The third loop took the plan's next case: every case but those three is still handed out once.
        #expect(rest == family.caseCounts.reduce(0, +) - 3)
    }

    @Test func schemaRequestsKeepTheBoundIDAndTheRecordedSessionHeaders() async throws {
        let binding = try await Self.binding()
        let family = SchemaFamily(binding: binding)
        let index = try #require(binding.operations.firstIndex { $0.operation.id == "updateScript" })
        let count = family.caseCounts[index]
        var names: Set<String> = []
        for seed in 0..<UInt64(count) {
            let mutant = try #require(family.mutant(operation: index, seed: seed, session: 7, step: 0))
            #expect(mutant.request.method == "PUT" && mutant.request.path == "/api/v1/scripts/{{script_id}}")
            #expect(mutant.request.headers.contains(named: "X-CSRF-Token"), "\(mutant.operations)")
            #expect(mutant.parentSession == 7)
            names.insert(mutant.operations[0].name)
            // The same seed makes the same request.
            #expect(family.mutant(operation: index, seed: seed, session: 7, step: 0) == mutant)
        }
        #expect(names.contains(SchemaRequest.positiveOperator))
        #expect(names.contains("schema.negative.body.type") && names.contains("schema.negative.body.maxLength"), "\(names.sorted())")
    }

    @Test func replacingKeepsRecordedParentsAndSwapsAboutHalfOfTheSpecOnes() async throws {
        let binding = try await Self.binding()
        let family = SchemaFamily(binding: binding)
        let first = 10
        var swapped = 0
        for seed in UInt64(0)..<400 {
            let recorded = Mutant(parentSession: 3, parentStep: 1, seed: seed, operations: [], request: RequestTemplate(method: "GET", path: "/x"), dropCookies: false)
            #expect(family.replacing(recorded, firstSpecSession: first) == recorded)
            let parent = Mutant(
                parentSession: first + Int(seed % UInt64(binding.operations.count)), parentStep: 0, seed: seed, operations: [],
                request: RequestTemplate(method: "GET", path: "/x"), dropCookies: false)
            let replaced = family.replacing(parent, firstSpecSession: first)
            #expect(family.replacing(parent, firstSpecSession: first) == replaced)
            if replaced != parent {
                swapped += 1
                #expect(SchemaFamily.isSchema(replaced.operations) && replaced.parentSession == parent.parentSession)
            }
        }
        #expect((120...280).contains(swapped), "\(swapped) of 400 swapped")
    }

    @Test func aNegativeRequestAnsweredWith2xxIsFlaggedOnlyWhenTheCheckIsOn() async throws {
        let binding = try await Self.binding()
        let family = SchemaFamily(binding: binding)
        let first = 40
        let index = try #require(binding.operations.firstIndex { $0.operation.id == "notifications" })
        let mutants = (0..<UInt64(family.caseCounts[index])).compactMap { family.mutant(operation: index, seed: $0, session: first + index, step: 0) }
        let minimum = try #require(mutants.first { $0.operations[0].name == "schema.negative.query.minimum" })
        let check = try #require(family.negativeCheck(of: minimum.operations, session: minimum.parentSession, firstSpecSession: first))
        #expect(check.constraint == "query limit: minimum" || check.constraint == "query offset: minimum")
        #expect(check.isBroken(by: minimum.request))
        // A request that no longer breaks it (the parameter dropped) does not count.
        var fixed = minimum.request
        fixed.query.removeAll { check.constraint.contains(" " + $0.name + ":") }
        #expect(!check.isBroken(by: fixed))
        let positive = try #require(mutants.first { $0.operations[0].name == SchemaRequest.positiveOperator })
        #expect(family.negativeCheck(of: positive.operations, session: positive.parentSession, firstSpecSession: first) == nil)
        // A recorded parent's mutant is no schema request.
        #expect(family.negativeCheck(of: minimum.operations, session: first - 1, firstSpecSession: first) == nil)

        let observed = ConformanceChecker.Observed(
            method: "GET", path: "/api/v1/notifications", status: 200, contentType: "application/json", body: Array(#"{"items":[]}"#.utf8),
            bodyComplete: true, brokenConstraint: check.constraint)
        let strict = ConformanceChecker(spec: binding.spec, checks: [.negativeAccepted], validator: SpecValidation.validator)
        let text = try #require(strict.check(observed)?.text)
        #expect(text == "negative-accepted: 200 to a request breaking " + check.constraint)
        #expect(ConformanceChecker.negativeAcceptedConstraint(in: text) == check.constraint)
        #expect(ConformanceChecker.negativeAcceptedConstraint(in: "status: status 416 not declared") == nil)
        let lenient = ConformanceChecker(spec: binding.spec, checks: ConformanceCheck.defaults, validator: SpecValidation.validator)
        #expect(lenient.check(observed)?.check != .negativeAccepted)
    }

    /// Feedback weights the schema operators like catalog ones: an operator whose requests keep
    /// finding new response shapes gains weight, and `replacing(_:learned:)` then draws its cases more often.
    @Test func aSchemaOperatorThatFindsNewShapesGainsWeightAndIsDrawnMoreOften() async throws {
        let binding = try await Self.binding()
        let family = SchemaFamily(binding: binding)
        let first = 0
        let index = try #require(binding.operations.firstIndex { $0.operation.id == "updateScript" })
        let productive = "schema.negative.body.maxLength", dull = "schema.negative.body.type"
        let mutator = Mutator(sessions: binding.sessions)
        let parent = Mutant(
            parentSession: first + index, parentStep: 0, seed: 0, operations: [], request: RequestTemplate(method: "PUT", path: "/x"), dropCookies: false)
        func drawn(_ learned: Mutator?) -> Int {
            (UInt64(0)..<3_000).filter { seed in
                var candidate = parent
                candidate.seed = seed
                return family.replacing(candidate, firstSpecSession: first, learned: learned).operations.first?.name == productive
            }.count
        }
        let before = drawn(mutator)
        #expect(Set(mutator.learnedWeights(of: [productive, dull])).count == 1, "equal before any feedback")
        for k in 0..<40 {
            for (name, shape) in [(productive, UInt64(1_000 + k)), (dull, 7)] {
                let mutant = Mutant(
                    parentSession: first + index, parentStep: 0, seed: UInt64(k), operations: [MutationOperation(name: name, seed: UInt64(k))],
                    request: RequestTemplate(method: "PUT", path: "/x"), dropCookies: false)
                mutator.feedback(mutant, outcome: MutationOutcome(endpoint: "PUT /api/v1/scripts/{id}", status: 422, shape: shape))
            }
        }
        let weights = mutator.learnedWeights(of: [productive, dull])
        #expect(weights[0] > 2 * weights[1], "\(weights)")
        let stats = mutator.statistics().operators
        #expect(stats.first { $0.name == productive }.map { $0.uses == 40 && $0.rewards == 40 && $0.weight == weights[0] } == true)
        let after = drawn(mutator)
        #expect(after > 2 * before, "\(productive) drawn \(before) times before feedback, \(after) after")
        // The draw stays a function of the seed and the learned state.
        var again = parent
        again.seed = 99
        #expect(family.replacing(again, firstSpecSession: first, learned: mutator) == family.replacing(again, firstSpecSession: first, learned: mutator))
        // Without adaptivity every schema operator keeps weight 1.
        let fixed = Mutator(sessions: binding.sessions, configuration: MutatorConfiguration(adaptive: false))
        #expect(fixed.learnedWeights(of: [productive, dull]) == [1, 1])
    }
}
