import Mutator
import PropertyBased
import StampedeCore
import StampedeHTTP
import Testing

/// Levels of nested arrays and objects in a JSON body (0 when there is none).
func jsonDepth(_ m: MutatedRequest) -> Int {
    guard let text = m.request.body?.text, let tree = try? JSONParser(maximumDepth: 4096).parse(text) else { return 0 }
    func depth(_ v: JSONValue) -> Int {
        switch v {
        case .array(let items): 1 + (items.map(depth).max() ?? 0)
        case .object(let members): 1 + (members.map { depth($0.value) }.max() ?? 0)
        default: 0
        }
    }
    return depth(tree)
}

/// The shrinker reaches a real fixpoint: depth by bisection, width by delta debugging, strings from
/// either end and the middle, numbers toward 0 and 1, headers one by one — and no single move of
/// `Shrinker.simplifications(of:)` on the result still satisfies the predicate.
@Suite struct ShrinkerFixpointTests {
    static func request(body: String, headers: [HTTPHeader] = []) -> MutatedRequest {
        MutatedRequest(request: RequestTemplate(
            method: "PUT", path: "/x", headers: headers, body: BodyTemplate(text: body, contentType: "application/json")))
    }

    static func nested(_ depth: Int, arrays: Bool, around inner: String) -> String {
        arrays
            ? String(repeating: "[", count: depth) + inner + String(repeating: "]", count: depth)
            : String(repeating: #"{"a":"#, count: depth) + inner + String(repeating: "}", count: depth)
    }

    @Test func depthIsBisectedToTheSmallestFailingDepth() async {
        await propertyCheck(count: 30, input: Gen.int(in: 41...1025), Gen.int(in: 2...40), Gen.bool) { depth, limit, arrays in
            let start = Self.request(body: #"{"name":"# + Self.nested(depth, arrays: arrays, around: #""demo""#) + "}")
            let predicate = { (m: MutatedRequest) in jsonDepth(m) > limit }
            #expect(predicate(start))
            let result = await Shrinker(budget: 2_000).shrink(start) { predicate($0) }
            #expect(!result.budgetExhausted)
            #expect(jsonDepth(result.request) == limit + 1)
            #expect(isOneMinimal(result.request, predicate))
            // Bisection, not one level a call: far fewer calls than levels removed.
            #expect(result.predicateCalls < 200 + 4 * limit, "\(result.predicateCalls) calls for depth \(depth)")
        }
    }

    @Test func widthIsCutByDeltaDebugging() async {
        let items = (0..<2_000).map { $0 == 1_234 ? "7" : "0" }.joined(separator: ",")
        let start = Self.request(body: "[" + items + "]")
        let predicate = { (m: MutatedRequest) in m.request.body?.text?.contains("7") == true }
        let result = await Shrinker(budget: 1_000).shrink(start) { predicate($0) }
        #expect(result.request.request.body?.text == "[7]")
        #expect(result.predicateCalls < 400, "\(result.predicateCalls)")
    }

    @Test func stringsShrinkFromBothEndsAndTheMiddle() async {
        let start = Self.request(body: #"{"v":"aaaaaaaaaaXbbbbbbbbbbYcccccccccc"}"#, headers: [HTTPHeader("If-Match", "W/\"0123456789*x\"")])
        let predicate = { (m: MutatedRequest) -> Bool in
            let text = m.request.body?.text ?? ""
            return text.contains("X") && text.contains("Y") && (m.request.header("If-Match")?.contains("*") ?? false)
        }
        let result = await Shrinker(budget: 2_000).shrink(start) { predicate($0) }
        #expect(result.request.request.body?.text == #"{"v":"XY"}"#)
        #expect(result.request.request.headers == [HTTPHeader("If-Match", "*")])
        #expect(isOneMinimal(result.request, predicate))
    }

    @Test func numbersMoveTowardZeroAndOne() async {
        let start = Self.request(body: #"{"n":9007199254740993,"m":-2147483649}"#)
        let predicate = { (m: MutatedRequest) in
            let text = m.request.body?.text ?? ""
            return text.contains(#""n":"#) && !text.contains(#""n":0"#)
        }
        let result = await Shrinker(budget: 1_000).shrink(start) { predicate($0) }
        #expect(result.request.request.body?.text == #"{"n":1}"#)
    }

    /// Random bodies mixing depth, width, long strings and numbers, random predicates: every result
    /// still fails and is a fixpoint.
    @Test func everyResultIsAFixpoint() async {
        let predicates: [(String, @Sendable (MutatedRequest) -> Bool)] = [
            ("depth over 5", { jsonDepth($0) > 5 }),
            ("a Z in the body", { $0.request.body?.text?.contains("Z") == true }),
            ("more than 3 commas", { ($0.request.body?.text?.filter { $0 == "," }.count ?? 0) > 3 }),
            ("header with a star", { $0.request.headers.contains { $0.value.contains("*") } }),
            ("number over 1000", { m in m.request.body?.text?.split(whereSeparator: { !$0.isNumber }).contains { Int($0).map { $0 > 1000 } ?? false } == true }),
        ]
        await propertyCheck(count: 40, input: Gen.int(in: 1...60), Gen.int(in: 0...30), Gen.int(in: 0...99_999)) { depth, width, number in
            let items = (0..<width).map { "\"s\($0)Z\($0)\"" }.joined(separator: ",")
            let body = #"{"deep":"# + Self.nested(depth, arrays: depth % 2 == 0, around: "[\(items)]") + #","n":\#(number)}"#
            let start = Self.request(body: body, headers: [HTTPHeader("If-None-Match", "*\(depth)"), HTTPHeader("Accept", "*/*")])
            for (name, predicate) in predicates where predicate(start) {
                let result = await Shrinker(budget: 5_000).shrink(start) { predicate($0) }
                #expect(predicate(result.request), "\(name)")
                #expect(!result.budgetExhausted, "\(name)")
                #expect(isOneMinimal(result.request, predicate), "\(name): \(result.request.request.body?.text ?? "")")
            }
        }
    }
}
