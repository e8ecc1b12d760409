import Mutator
import PropertyBased
import StampedeCore
import StampedeHTTP
import StampedeTestSupport
import Testing

/// Whether some object member named `key` anywhere in the JSON body holds a string longer than `limit`.
func hasLongString(_ m: MutatedRequest, key: String, limit: Int) -> Bool {
    guard let text = m.request.body?.text, let tree = try? JSONParser(allowsTemplatePlaceholders: true).parse(text) else {
        return false
    }
    func visit(_ v: JSONValue) -> Bool {
        switch v {
        case .object(let members):
            return members.contains { ($0.key == key && ($0.value.stringValue?.count ?? 0) > limit) || visit($0.value) }
        case .array(let items):
            return items.contains(where: visit)
        default:
            return false
        }
    }
    return visit(tree)
}

func isOneMinimal(_ m: MutatedRequest, _ predicate: (MutatedRequest) -> Bool) -> Bool {
    Shrinker.simplifications(of: m).allSatisfy { !predicate($0) }
}

@Suite struct ShrinkerTests {
    static let json = "application/json"

    @Test func longStringShrinksToOneKeyOf65Characters() async throws {
        let long = String(repeating: "q", count: 1000)
        let body = #"{"a":1,"x":"\#(long)","nested":{"x":"short","y":[1,2,3]},"arr":[true,null,"s"]}"#
        let start = MutatedRequest(request: RequestTemplate(
            method: "POST", path: "/api/v1/scripts", query: [QueryItem("limit", "50")],
            headers: [HTTPHeader("Content-Type", Self.json), HTTPHeader("X-CSRF-Token", "{{cookie.csrf_token}}")],
            body: BodyTemplate(text: body, contentType: Self.json)))
        let predicate = { (m: MutatedRequest) in hasLongString(m, key: "x", limit: 64) }
        #expect(predicate(start))
        let result = await Shrinker(budget: 1000).shrink(start) { predicate($0) }
        #expect(result.request.request.body?.text == #"{"x":"\#(String(repeating: "q", count: 65))"}"#)
        #expect(result.request.request.headers.isEmpty)
        #expect(result.request.request.query.isEmpty)
        #expect(!result.budgetExhausted)
        #expect(result.predicateCalls < 200)
        #expect(isOneMinimal(result.request, predicate))
    }

    @Test func numbersMoveTowardZeroUntilTheBoundary() async {
        let start = MutatedRequest(request: RequestTemplate(
            method: "GET", path: "/x", body: BodyTemplate(text: #"{"limit":98765,"other":"abc","neg":-7}"#, contentType: Self.json)))
        let predicate = { (m: MutatedRequest) -> Bool in
            guard let text = m.request.body?.text, let v = try? JSONValue(parsing: text) else { return false }
            return (v[key: "limit"]?.doubleValue ?? 0) >= 100
        }
        let result = await Shrinker().shrink(start) { predicate($0) }
        #expect(result.request.request.body?.text == #"{"limit":100}"#)
        #expect(isOneMinimal(result.request, predicate))
    }

    @Test func deltaDebuggingKeepsOnlyTheOperationThatMatters() async throws {
        let mutator = Mutator(sessions: DemoCorpus.sessions)
        let parent = DemoCorpus.sessions[1].steps[3].request  // PUT /scripts/{{script_id}}
        let ops = [
            MutationOperation(name: "query.add-unknown", seed: 1),
            MutationOperation(name: "json.type-confuse", seed: 2),
            MutationOperation(name: "headers.drop-csrf", seed: 3),
            MutationOperation(name: "path.trailing-slash", seed: 4),
            MutationOperation(name: "json.add-key", seed: 5),
        ]
        // "Fails" like a server that crashes on a write without a CSRF token.
        let predicate = { (m: MutatedRequest) in m.request.method == "PUT" && m.request.header("X-CSRF-Token") == nil }
        let full = mutator.applyAll(ops, to: parent)
        #expect(predicate(full))
        let result = await Shrinker().shrink(parent: parent, operations: ops, using: mutator) { predicate($0) }
        #expect(result.operations.map(\.name) == ["headers.drop-csrf"])
        #expect(predicate(result.request))
        #expect(result.request.request.headers.isEmpty)
        #expect(result.request.request.body == nil)
        #expect(isOneMinimal(result.request, predicate))
    }

    @Test func budgetIsRespected() async {
        let long = String(repeating: "z", count: 5000)
        let start = MutatedRequest(request: RequestTemplate(
            method: "POST", path: "/x", headers: [HTTPHeader("A", "1"), HTTPHeader("B", "2")],
            body: BodyTemplate(text: #"{"x":"\#(long)","y":[1,2,3,4,5,6,7,8]}"#, contentType: Self.json)))
        let predicate = { (m: MutatedRequest) in hasLongString(m, key: "x", limit: 64) }
        let result = await Shrinker(budget: 10).shrink(start) { predicate($0) }
        #expect(result.predicateCalls == 10)
        #expect(result.budgetExhausted)
        #expect(predicate(result.request))
    }

    @Test func placeholdersAreNotCutWhenShortening() async {
        let start = MutatedRequest(request: RequestTemplate(
            method: "POST", path: "/x",
            body: BodyTemplate(text: #"{"username":"{{vu.username}}AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}"#, contentType: Self.json)))
        let result = await Shrinker().shrink(start) { $0.request.body?.text?.contains("username") == true }
        #expect(result.request.request.body?.text == #"{"username":"{{vu.username}}"}"#)
    }

    /// Over random mutants and a set of known predicates: the result still fails and is 1-minimal.
    @Test func resultsStillFailAndAreOneMinimal() async {
        let mutator = Mutator(sessions: DemoCorpus.sessions)
        let steps = DemoCorpus.sessions.enumerated().flatMap { s, session in session.steps.indices.map { (s, $0) } }
        let predicates: [(String, @Sendable (MutatedRequest) -> Bool)] = [
            ("body over 40 bytes", { ($0.request.body?.rawBytes.count ?? 0) > 40 }),
            ("two or more headers", { $0.request.headers.count >= 2 }),
            ("non-ASCII anywhere in body", { $0.request.body?.rawBytes.contains { $0 >= 0x80 } ?? false }),
            ("a query value over 3 chars", { $0.request.query.contains { ($0.value?.count ?? 0) > 3 } }),
            ("JSON body with an array", { m in m.request.body?.text?.contains("[") == true && m.request.body?.text?.first == "{" }),
        ]
        await propertyCheck(count: 60, input: Gen.int(in: 0...(steps.count - 1)), Gen.uint64()) { index, seed in
            let (s, t) = steps[index]
            let mutant = mutator.mutant(session: s, step: t, seed: seed)
            for (name, predicate) in predicates where predicate(mutant.mutatedRequest) {
                let result = await Shrinker(budget: 3000).shrink(
                    parent: DemoCorpus.sessions[s].steps[t].request, operations: mutant.operations, using: mutator
                ) { predicate($0) }
                #expect(predicate(result.request), "\(name)")
                #expect(!result.budgetExhausted, "\(name)")
                #expect(isOneMinimal(result.request, predicate), "\(name)")
            }
        }
    }
}
