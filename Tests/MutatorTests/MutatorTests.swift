import Mutator
import PropertyBased
import StampedeCore
import StampedeHTTP
import StampedeTestSupport
import Testing

/// The bytes a request would put on the wire before variable rendering, in a fixed layout.
func wireBytes(_ m: MutatedRequest) -> [UInt8] {
    var out = Array(m.request.method.utf8) + [0x20] + Array(m.request.pathAndQuery.utf8) + [0x0A]
    for h in m.request.headers { out += Array(h.name.utf8) + [0x3A] + Array(h.value.utf8) + [0x0A] }
    out += Array("cookies:\(!m.dropCookies)\n".utf8)
    out += Array((m.request.body?.contentType ?? "-").utf8) + [0x0A]
    if let body = m.request.body { out += body.text.map { Array($0.utf8) } ?? Array(("b64:" + (body.base64 ?? "")).utf8) }
    return out
}

func fnv1a(_ bytes: [UInt8], _ hash: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
    var h = hash
    for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return h
}

let demoSessions = DemoCorpus.sessions
let demoSteps: [(Int, Int)] = demoSessions.enumerated().flatMap { s, session in session.steps.indices.map { (s, $0) } }

@Suite struct MutatorTests {
    @Test func sameTripleSameBytes() async {
        let a = Mutator(sessions: demoSessions)
        let b = Mutator(sessions: demoSessions)
        await propertyCheck(count: 1000, input: Gen.int(in: 0...(demoSteps.count - 1)), Gen.uint64()) { index, seed in
            let (s, t) = demoSteps[index]
            let first = a.mutant(session: s, step: t, seed: seed)
            let second = b.mutant(session: s, step: t, seed: seed)
            #expect(wireBytes(first.mutatedRequest) == wireBytes(second.mutatedRequest))
            #expect(first == second)
            #expect(!first.operations.isEmpty)
            // The recorded operations alone reproduce the mutant from its parent.
            let replayed = a.applyAll(first.operations, to: demoSessions[s].steps[t].request)
            #expect(wireBytes(replayed) == wireBytes(first.mutatedRequest))
        }
    }

    /// Pins the derivation: a change in any operator, the RNG or the catalog order changes this
    /// hash, which would break reproduction of crash records written by older builds.
    @Test func derivationIsPinned() {
        // Scope `any`: the scope filter drops mutants, it does not change how one is derived.
        let mutator = Mutator(sessions: demoSessions, configuration: MutatorConfiguration(scope: .any))
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for seed in UInt64(0)..<300 {
            let (s, t) = demoSteps[Int(seed) % demoSteps.count]
            hash = fnv1a(wireBytes(mutator.mutant(session: s, step: t, seed: seed).mutatedRequest), hash)
        }
        #expect(hash == pinnedDerivationHash, "derivation changed: \(hash)")
    }

    @Test func everyOperatorKeepsTheOtherPartsAndPlaceholders() {
        let mutator = Mutator(sessions: demoSessions)
        var applied: Set<String> = []
        // Splicing may bring in placeholders of other recorded bodies, whole.
        let known = Set(demoSteps.flatMap { s, t in allTemplateText(demoSessions[s].steps[t].request).flatMap { Template.variables(in: $0) } })
        for info in Mutator.operators {
            for (s, t) in demoSteps {
                let parent = demoSessions[s].steps[t].request
                for seed in UInt64(0)..<6 {
                    let result = mutator.applyAll([MutationOperation(name: info.name, seed: seed)], to: parent)
                    let child = result.request
                    if !info.parts.contains(.method) { #expect(child.method == parent.method, "\(info.name)") }
                    if !info.parts.contains(.path) { #expect(child.path == parent.path, "\(info.name)") }
                    if !info.parts.contains(.query) { #expect(child.query == parent.query, "\(info.name)") }
                    if !info.parts.contains(.headers) { #expect(child.headers == parent.headers, "\(info.name)") }
                    if !info.parts.contains(.body) { #expect(child.body == parent.body, "\(info.name)") }
                    if !info.parts.contains(.cookies) { #expect(!result.dropCookies, "\(info.name)") }
                    if result != MutatedRequest(request: parent) { applied.insert(info.name) }
                    // No placeholder is ever cut in half: every `{{` left opens a recorded name.
                    for text in allTemplateText(child) {
                        let opened = text.split(separator: "{{", omittingEmptySubsequences: false).count - 1
                        let names = Template.variables(in: text)
                        #expect(opened == names.count, "\(info.name): \(text.prefix(80))")
                        for name in names { #expect(known.contains(name), "\(info.name): \(name)") }
                    }
                }
            }
        }
        let never = Set(Mutator.operators.map(\.name)).subtracting(applied)
        #expect(never.isEmpty, "operators that never changed a demo request: \(never.sorted())")
    }

    @Test func headerOperatorsExpressCookieAndCSRFDrops() {
        let mutator = Mutator(sessions: demoSessions)
        let put = demoSessions[1].steps[3].request
        let noCookies = mutator.applyAll([MutationOperation(name: "headers.drop-cookie", seed: 1)], to: put)
        #expect(noCookies.dropCookies)
        #expect(noCookies.request == put)
        let noCSRF = mutator.apply([MutationOperation(name: "headers.drop-csrf", seed: 1)], to: put)
        #expect(noCSRF.header("X-CSRF-Token") == nil)
        #expect(noCSRF.header("Content-Type") == "application/json")
    }

    @Test func jsonOperatorsKeepBodiesValidOrBreakThemOnPurpose() throws {
        let mutator = Mutator(sessions: demoSessions)
        let parent = demoSessions[1].steps[3].request  // PUT /scripts/{{script_id}} with JSON
        let parser = JSONParser(maximumDepth: 4096, allowsTemplatePlaceholders: true)
        let breaking: Set<String> = [
            "json.truncate", "json.invalid-syntax", "json.invalid-utf8", "json.boundary-number", "json.lone-surrogate",
        ]
        for info in Mutator.operators where info.name.hasPrefix("json.") && !breaking.contains(info.name) {
            for seed in UInt64(0)..<20 {
                let child = mutator.apply([MutationOperation(name: info.name, seed: seed)], to: parent)
                let text = try #require(child.body?.text)
                #expect((try? parser.parse(text)) != nil, "\(info.name) seed \(seed): \(text.prefix(100))")
            }
        }
        let invalid = mutator.apply([MutationOperation(name: "json.invalid-utf8", seed: 3)], to: parent)
        #expect(invalid.body?.text == nil)
        #expect(invalid.body?.base64 != nil)
        #expect(String(validating: invalid.body?.rawBytes ?? [], as: UTF8.self) == nil)
    }

    @Test func feedbackRaisesRewardedOperatorsAndIsThreadSafe() async {
        let mutator = Mutator(sessions: demoSessions)
        let perTask = 500
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<4 {
                group.addTask {
                    for i in 0..<perTask {
                        let mutant = mutator.nextMutant(seed: UInt64(task * perTask + i))
                        // A pretend target that only misbehaves on unknown methods, each time differently.
                        let isMethod = mutant.operations.contains { $0.name == "method.unknown" }
                        let outcome = MutationOutcome(
                            endpoint: "POST /x", status: isMethod ? 500 : 400, shape: isMethod ? UInt64(task * perTask + i) : 0)
                        mutator.feedback(mutant, outcome: outcome)
                    }
                }
            }
        }
        let stats = mutator.statistics()
        #expect(stats.feedbackCount == 4 * perTask)
        let weights = Dictionary(uniqueKeysWithValues: stats.operators.map { ($0.name, $0.weight) })
        let base = Dictionary(uniqueKeysWithValues: Mutator.operators.map { ($0.name, $0.defaultWeight) })
        let unknownGain = (weights["method.unknown"] ?? 0) / (base["method.unknown"] ?? 1)
        let dropGain = (weights["path.drop-segment"] ?? 9) / (base["path.drop-segment"] ?? 1)
        #expect(unknownGain > 2 * dropGain)
        #expect(stats.operators.first { $0.name == "method.unknown" }.map { $0.rewards > 0 } == true)
    }

    @Test func stackingIsBoundedAndWeightsCanDisableFamilies() {
        let mutator = Mutator(
            sessions: demoSessions, configuration: MutatorConfiguration(maximumStack: 3, weights: ["json": 0, "bytes": 0, "form": 0, "body": 0]))
        var maxOps = 0
        for seed in UInt64(0)..<500 {
            let (s, t) = demoSteps[Int(seed) % demoSteps.count]
            let mutant = mutator.mutant(session: s, step: t, seed: seed)
            maxOps = max(maxOps, mutant.operations.count)
            #expect(mutant.operations.count <= 3)
            #expect(mutant.request.body == demoSessions[s].steps[t].request.body)
        }
        #expect(maxOps == 3)
    }
}

func allTemplateText(_ r: RequestTemplate) -> [String] {
    [r.method, r.path] + r.query.flatMap { [$0.name, $0.value ?? ""] } + r.headers.flatMap { [$0.name, $0.value] }
        + [r.body?.text ?? ""]
}

/// Changed on purpose by #13 (header grammar, new JSON operators, new catalog order).
let pinnedDerivationHash: UInt64 = 2_487_855_012_194_760_651

@Suite struct ResponseShapeTests {
    @Test func shapeIgnoresValuesOrderAndCountsButNotKeysOrKinds() throws {
        func shape(_ s: String) -> UInt64 { ResponseShape.fingerprint(body: Array(s.utf8)) }
        #expect(shape(#"{"id":1,"tags":["a","b"]}"#) == shape(#"{"tags":["z"],"id":99}"#))
        #expect(shape(#"{"id":1}"#) != shape(#"{"id":"1"}"#))
        #expect(shape(#"{"id":1}"#) != shape(#"{"ident":1}"#))
        #expect(shape(#"[1,"a"]"#) == shape(#"["b",2,3]"#))
        #expect(shape("") != shape("<html>"))
    }
}
