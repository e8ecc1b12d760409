import StampedeClient
import Testing

@testable import Replayer

@Suite struct FailureSignatureTests {
    @Test(arguments: [
        ("error 42 at 2025-01-02T03:04:05.123Z", "error <n> at <n>"),
        (#"{"id":"3f2b9c1e-8a7d-4e6f-9b0a-1c2d3e4f5a6b"}"#, #"{"id":"<uuid>"}"#),
        ("trace deadbeef42 done", "trace <hex> done"),
        ("boom   \n\t here", "boom here"),
        ("v1.2.3 ok", "v<n> ok"),
        ("cafe babe", "cafe babe"),
    ])
    func fingerprintStripsVariableParts(body: String, expected: String) {
        #expect(FailureSignature.fingerprint(Array(body.utf8)) == expected)
    }

    @Test func sameBugDifferentIDsSameSignature() {
        let a = FailureSignature(
            method: "PUT", endpoint: "PUT /api/v1/user/settings/theme", failureClass: .serverError, failure: "500",
            body: Array("Internal error id=1234 at 2025-01-01 10:00:00".utf8))
        let b = FailureSignature(
            method: "PUT", endpoint: "PUT /api/v1/user/settings/theme", failureClass: .serverError, failure: "500",
            body: Array("Internal error id=98 at 2026-11-25 18:11:03".utf8))
        #expect(a == b)
        #expect(a.value.count == 16)
        #expect(a.value.allSatisfy { $0.isHexDigit })
    }

    @Test func classEndpointAndFailureSeparateSignatures() {
        func sig(_ endpoint: String, _ cls: FailureClass, _ failure: String) -> String {
            FailureSignature(method: "GET", endpoint: endpoint, failureClass: cls, failure: failure, body: [UInt8]()).value
        }
        let all = [
            sig("GET /a", .serverError, "500"), sig("GET /b", .serverError, "500"), sig("GET /a", .serverError, "502"),
            sig("GET /a", .transport, "CURLE_RECV_ERROR"), sig("GET /a", .timeout, "CURLE_OPERATION_TIMEDOUT"),
        ]
        #expect(Set(all).count == all.count)
    }

    @Test func fingerprintLooksAtABoundedPrefix() {
        let long = Array(repeating: UInt8(ascii: "x"), count: 10_000)
        #expect(FailureSignature.fingerprint(long).utf8.count == FailureSignature.fingerprintPrefix)
    }

    @Test func fnvIsStable() {
        // Published FNV-1a 64 test vector: "a" → af63dc4c8601ec8c.
        var h = FNV1a()
        h.add("a")
        #expect(h.hex == "af63dc4c8601ec8c")
    }
}
