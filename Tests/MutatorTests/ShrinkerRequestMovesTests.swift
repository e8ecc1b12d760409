import Mutator
import StampedeCore
import StampedeHTTP
import Testing

/// Request-line moves: back toward the recorded parent, never in circles.
@Suite struct ShrinkerRequestMovesTests {
    static let parent = RequestTemplate(
        method: "PUT", path: "/api/v1/scripts/{{script_id}}", headers: [HTTPHeader("Content-Type", "application/json")],
        body: BodyTemplate(text: #"{"name":"x"}"#, contentType: "application/json"))

    @Test func aLongIdFailureEndsAsAGetWithTheShortestFailingId() async {
        var start = Self.parent
        start.method = "HEAD"
        start.path = "/api/v1/scripts/" + String(repeating: "a", count: 1000) + "/"
        // Fails for any method when the id segment is longer than 64 characters.
        let predicate = { (m: MutatedRequest) -> Bool in
            let parts = m.request.path.split(separator: "/", omittingEmptySubsequences: false)
            return parts.count == 5 && parts[3] == "scripts" && parts[4].count > 64
        }
        let result = await Shrinker(budget: 300).shrink(MutatedRequest(request: start), reference: Self.parent) { predicate($0) }
        #expect(result.request.request.method == "GET")
        #expect(result.request.request.path == "/api/v1/scripts/" + String(repeating: "a", count: 65))
        #expect(result.request.request.body == nil && result.request.request.headers.isEmpty)
        #expect(!result.budgetExhausted)
    }

    @Test func aMethodBugKeepsItsMethodAndGetsTheRecordedPathBack() async {
        var start = Self.parent
        start.method = "PATCH"
        start.path = "/api/v1/scripts/%2F"
        start.query = [QueryItem("sort", "\\")]
        let result = await Shrinker(budget: 300).shrink(MutatedRequest(request: start, dropCookies: true), reference: Self.parent) {
            $0.request.method == "PATCH" && $0.request.path.hasPrefix("/api/v1/scripts/")
        }
        #expect(result.request.request.method == "PATCH")
        #expect(result.request.request.path == "/api/v1/scripts/{{script_id}}")
        #expect(result.request.request.query.isEmpty)
        #expect(!result.request.dropCookies)
    }

    @Test func numericQueryValuesReachTheBoundary() async {
        var start = Self.parent
        start.method = "GET"
        start.path = "/api/v1/notifications"
        start.query = [QueryItem("limit", "1953"), QueryItem("offset", "0")]
        start.body = nil
        let result = await Shrinker(budget: 300).shrink(MutatedRequest(request: start), reference: Self.parent) { m in
            m.request.query.contains { $0.name == "limit" && (Int($0.value ?? "") ?? 0) > 1000 }
        }
        #expect(result.request.request.query == [QueryItem("limit", "1001")])
        #expect(result.predicateCalls < 80)
    }

    @Test func anAlwaysFailingPredicateStillTerminates() async {
        var start = Self.parent
        start.method = "DELETE"
        start.path = "/api/v1//scripts/abc/def/"
        let result = await Shrinker(budget: 10_000).shrink(MutatedRequest(request: start), reference: Self.parent) { _ in true }
        #expect(!result.budgetExhausted)
        #expect(result.request.request.method == "GET")
        #expect(result.request.request.body == nil && result.request.request.headers.isEmpty)
    }
}
