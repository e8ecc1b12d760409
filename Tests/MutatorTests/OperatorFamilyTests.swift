import Mutator
import PropertyBased
import StampedeCore
import StampedeHTTP
import StampedeTestSupport
import Testing

/// A mutator whose only operators are those whose names start with one of `prefixes`.
func familyMutator(_ prefixes: [String], discovery: Bool = false) -> Mutator {
    var weights: [String: Double] = [:]
    for info in Mutator.operators where !prefixes.contains(where: { info.name.hasPrefix($0) }) { weights[info.name] = 0 }
    return Mutator(sessions: demoSessions, configuration: MutatorConfiguration(weights: weights, discovery: discovery))
}

/// The operator families of #13: header grammar, structure-aware JSON, discovery.
@Suite struct OperatorFamilyTests {
    static let families: [String: [String]] = [
        "conditional": ["headers.conditional"],
        "range/accept/encoding": ["headers.range", "headers.accept", "headers.content-encoding"],
        "credentials/cookies/origin": ["headers.authorization", "headers.cookie-syntax", "headers.origin"],
        "override/expect/content-type": ["headers.method-override", "headers.expect", "headers.content-type-mismatch"],
        "json structure": ["json.odd-key", "json.null-in-array", "json.type-confuse", "json.wrong-top-level"],
        "json bombs and strings": ["json.deep-nesting", "json.wide", "json.lone-surrogate", "json.boundary-number"],
    ]

    @Test(arguments: families.keys.sorted())
    func familyIsReproducibleForSessionStepSeed(family: String) async throws {
        let names = try #require(Self.families[family])
        let a = familyMutator(names), b = familyMutator(names)
        var used: Set<String> = []
        await propertyCheck(count: 300, input: Gen.int(in: 0...(demoSteps.count - 1)), Gen.uint64()) { index, seed in
            let (s, t) = demoSteps[index]
            let first = a.mutant(session: s, step: t, seed: seed)
            #expect(first == b.mutant(session: s, step: t, seed: seed))
            #expect(wireBytes(a.applyAll(first.operations, to: demoSessions[s].steps[t].request)) == wireBytes(first.mutatedRequest))
            for op in first.operations { used.insert(op.name) }
        }
        // Every operator of the family applies somewhere in the demo corpus.
        #expect(used.isSuperset(of: names), "unused: \(Set(names).subtracting(used))")
    }

    @Test func headerValuesStayOnOneLine() {
        let mutator = familyMutator(["headers."])
        for (s, t) in demoSteps {
            for seed in UInt64(0)..<200 {
                for header in mutator.mutant(session: s, step: t, seed: seed).request.headers {
                    #expect(!header.value.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 }, "\(header.name)")
                    #expect(!header.name.isEmpty && !header.name.utf8.contains { $0 <= 0x20 || $0 == UInt8(ascii: ":") })
                }
            }
        }
    }

    @Test func bombsStayUnderTheBodyLimit() {
        for limit in [1_000, 20_000] {
            var weights: [String: Double] = [:]
            for info in Mutator.operators where info.name != "json.deep-nesting" && info.name != "json.wide" { weights[info.name] = 0 }
            let mutator = Mutator(sessions: demoSessions, configuration: MutatorConfiguration(
                maximumStack: 1, weights: weights, maximumBodyBytes: limit, discovery: false))
            for (s, t) in demoSteps where demoSessions[s].steps[t].request.body?.text?.first == "{" {
                for seed in UInt64(0)..<50 {
                    let body = mutator.mutant(session: s, step: t, seed: seed).request.body?.rawBytes ?? []
                    #expect(body.count <= limit + 256, "\(body.count) bytes over \(limit)")
                }
            }
        }
    }

    @Test func discoveryLearnsLinksAndValuesAndSendsEachTargetOnce() throws {
        // `.any`: well-known paths at the root (`/version`) lie outside the default `prefix` scope.
        let mutator = Mutator(sessions: demoSessions, configuration: MutatorConfiguration(scope: .any))
        let body = #"{"status":"ok","links":{"version":"/api/v1/health/version","away":"/elsewhere/x"},"id":"abc-123","token":"t0ps3cret"}"#
        mutator.learn(from: ObservedResponse(status: 200, headers: [HTTPHeader("ETag", "\"e1\"")], body: Array(body.utf8)))
        mutator.learn(from: ObservedResponse(status: 500, headers: [], body: Array(#"{"url":"/api/v1/never"}"#.utf8)))
        var targets: [String] = []
        var learned: [String] = []
        for seed in UInt64(0)..<5_000 {
            let mutant = mutator.nextMutant(seed: seed)
            for op in mutant.operations {
                if op.name.hasPrefix("discover.") {
                    targets.append(op.detail)
                    #expect(mutant.request.method == "GET" && mutant.request.path == op.detail && mutant.request.body == nil)
                }
                if op.name == "learned.value" { learned.append(op.detail) }
            }
        }
        #expect(targets.first == "/api/v1/health/version", "links go before well-known paths")
        #expect(Set(targets).count == targets.count, "a target was sent twice")
        #expect(!targets.contains("/elsewhere/x") && !targets.contains("/api/v1/never"))
        #expect(targets.contains("/api/v1/health/metrics") && targets.contains("/version"))
        #expect(Set(learned).isSubset(of: ["abc-123", "\"e1\"", "ok"]) && !learned.isEmpty)
        #expect(!learned.contains("t0ps3cret"))
        let stats = mutator.discoveryStatistics()
        #expect(stats.pendingLinks == 0 && stats.pendingWellKnown == 0 && stats.targetsSent == targets.count)
        // Discovery mutants re-apply from their operations alone (the path travels in `detail`).
        let op = MutationOperation(name: "discover.link", detail: "/api/v1/health/version", seed: 1)
        #expect(mutator.apply([op], to: demoSessions[0].steps[0].request).path == "/api/v1/health/version")
    }

    /// A long run that keeps creating resources keeps learning links to them: the same endpoint under
    /// another ID is sent once, so discovery's memory stays bounded (the soak grew 30 KB/s before).
    @Test func linksToTheSameEndpointUnderNewIDsAreSentOnce() {
        let mutator = Mutator(sessions: demoSessions, configuration: MutatorConfiguration(scope: .any))
        var links: [String] = []
        func draw(_ seeds: Range<UInt64>) {
            for seed in seeds {
                for op in mutator.nextMutant(seed: seed).operations where op.name == "discover.link" { links.append(op.detail) }
            }
        }
        for i in 0..<2_000 {
            let id = String(UInt64(i + 1) &* 0x9E37_79B9_7F4A_7C15, radix: 16)
            let body = #"{"links":{"self":"/api/v1/scripts/\#(id)","runs":"/api/v1/scripts/\#(id)/runs"}}"#
            mutator.learn(from: ObservedResponse(status: 201, headers: [], body: Array(body.utf8)))
            draw(UInt64(i) * 4..<UInt64(i) * 4 + 4)
        }
        draw(10_000..<20_000)
        // One link per endpoint shape: `/api/v1/scripts/{id}` and `/api/v1/scripts/{id}/runs`.
        #expect(links.count == 2, "\(links.count) links sent, first \(links.prefix(3))")
        #expect(mutator.discoveryStatistics().pendingLinks == 0)
    }
}
