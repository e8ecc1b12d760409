import DemoTarget
import Foundation
import StampedeCore
import StampedeEngine
import StampedeHTTP
import Testing

/// The original suite's two property tests (register and the Grafana webhook never 5xx), plus
/// seeded monkey traffic against a defect-free server, which must never see a 5xx either.
@Suite struct SoundnessTests {
    static func randomText(_ rng: inout SeededGenerator, length: ClosedRange<Int>, allowSpace: Bool) -> String {
        let pools: [ClosedRange<UInt32>] = [0x21...0x7E, 0xA0...0x24F, 0x370...0x3FF, 0x4E00...0x4E80, 0x1F600...0x1F64F, 0x01...0x1F]
        var text = ""
        let count = rng.next(in: length)
        while text.unicodeScalars.count < count {
            let pool = rng.pick(pools) ?? pools[0]
            let value = pool.lowerBound + UInt32(rng.next(below: Int(pool.upperBound - pool.lowerBound) + 1))
            guard let scalar = Unicode.Scalar(value) else { continue }
            if !allowSpace, Character(scalar).isWhitespace { continue }
            text.unicodeScalars.append(scalar)
        }
        return text
    }

    static func randomJSON(_ rng: inout SeededGenerator, depth: Int = 0) -> Any {
        switch rng.next(below: depth > 2 ? 4 : 6) {
        case 0: return NSNull()
        case 1: return rng.chance(0.5)
        case 2: return rng.next(in: -1_000_000...1_000_000)
        case 3: return randomText(&rng, length: 0...12, allowSpace: true)
        case 4: return (0..<rng.next(in: 0...4)).map { _ in randomJSON(&rng, depth: depth + 1) }
        default:
            var object: [String: Any] = [:]
            for _ in 0..<rng.next(in: 0...4) { object[randomText(&rng, length: 1...8, allowSpace: false)] = randomJSON(&rng, depth: depth + 1) }
            return object
        }
    }

    @Test func registerNeverFails5xx() async throws {
        try await withDemo { server, engine in
            let client = DemoClient(engine: engine, server: server)
            var rng = SeededGenerator(seed: 0x5EED_0001)
            var statuses: [Int: Int] = [:]
            for _ in 0..<150 {
                let payload: [String: Any] = [
                    "username": Self.randomText(&rng, length: 1...32, allowSpace: false),
                    "email": rng.chance(0.5)
                        ? Self.randomText(&rng, length: 1...10, allowSpace: false) + "@" + Self.randomText(&rng, length: 1...6, allowSpace: false) + ".com"
                        : Self.randomText(&rng, length: 0...40, allowSpace: true),
                    "password": Self.randomText(&rng, length: 6...64, allowSpace: true),
                ]
                let response = await client.sendJSON("POST", "/auth/register", payload)
                #expect(response.failure == nil)
                #expect(response.status < 500, "register gave \(response.status) for \(payload)")
                statuses[response.status, default: 0] += 1
            }
            // Both outcomes occur, so the generator really exercises validation.
            #expect(statuses[201, default: 0] > 0)
            #expect(statuses[422, default: 0] > 0)
        }
    }

    @Test func grafanaWebhookNeverFails5xx() async throws {
        try await withDemo { server, engine in
            let client = DemoClient(engine: engine, server: server)
            var rng = SeededGenerator(seed: 0x5EED_0002)
            func stringMap(_ rng: inout SeededGenerator) -> [String: String] {
                var map: [String: String] = [:]
                for _ in 0..<rng.next(in: 0...8) {
                    map[Self.randomText(&rng, length: 1...10, allowSpace: false)] = Self.randomText(&rng, length: 0...20, allowSpace: true)
                }
                return map
            }
            for round in 0..<150 {
                var payload: [String: Any] = [:]
                if rng.chance(0.7) { payload["status"] = rng.pick(["firing", "resolved"]) ?? "firing" }
                if rng.chance(0.7) { payload["receiver"] = Self.randomText(&rng, length: 0...16, allowSpace: true) }
                payload["alerts"] = (0..<rng.next(in: 1...5)).map { _ -> [String: Any] in
                    var alert: [String: Any] = ["labels": stringMap(&rng), "annotations": stringMap(&rng)]
                    if rng.chance(0.5) { alert["status"] = rng.pick(["firing", "resolved"]) ?? "firing" }
                    if rng.chance(0.5) { alert["valueString"] = Self.randomText(&rng, length: 0...30, allowSpace: true) }
                    if rng.chance(0.2) { alert[Self.randomText(&rng, length: 1...8, allowSpace: false)] = Self.randomJSON(&rng) }
                    return alert
                }
                payload["groupLabels"] = stringMap(&rng)
                payload["commonLabels"] = stringMap(&rng)
                payload["commonAnnotations"] = stringMap(&rng)
                if rng.chance(0.3) { payload[Self.randomText(&rng, length: 1...8, allowSpace: false)] = Self.randomJSON(&rng) }
                let response = await client.sendJSON("POST", "/alerts/grafana", payload, csrf: false)
                #expect(response.status == 200, "valid Grafana payload #\(round) gave \(response.status): \(response.bodyText)")
                // Any JSON at all, however wrong its shape: never a 5xx.
                let garbage = await client.sendJSON("POST", "/alerts/grafana", Self.randomJSON(&rng), csrf: false)
                #expect((200..<500).contains(garbage.status), "garbage JSON gave \(garbage.status)")
            }
            #expect(await client.send("POST", "/alerts/grafana", body: Array("not json".utf8)).status == 422)
        }
    }

    @Test func monkeyTrafficNeverFails5xxWithoutDefects() async throws {
        try await withDemo(defects: false) { server, engine in
            let client = DemoClient(engine: engine, server: server)
            await client.signUp("monkey")
            let scriptID = try #require(await client.createScript())
            let executionID = try #require(await client.execute("print(1)"))
            let paths = [
                "/auth/register", "/auth/login", "/auth/me", "/execute", "/executions/\(executionID)/result",
                "/executions/\(executionID)/events?limit=50", "/scripts", "/scripts/\(scriptID)", "/user/settings/",
                "/user/settings/theme", "/notifications?limit=20&offset=0", "/notifications/mark-all-read",
                "/alerts/grafana", "/health/live", "/scripts/\(String(repeating: "9", count: 300))",
                "/notifications?limit=-1", "/notifications?limit=99999999999999999999999",
                "/executions/\(executionID)/events?limit=0", "/scripts?limit=\u{00E9}",
            ]
            let methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
            var rng = SeededGenerator(seed: 0x5EED_0003)
            for _ in 0..<250 {
                let method = rng.pick(methods) ?? "GET"
                let path = rng.pick(paths) ?? "/"
                let body = Array(DemoClient.encode(Self.randomJSON(&rng)).utf8)
                let headers = rng.chance(0.3) ? [] : [HTTPHeader("Content-Type", "application/json")]
                let response = await client.send(method, path, body: method == "HEAD" || method == "GET" ? [] : body, headers: headers, csrf: rng.chance(0.8))
                #expect(response.failure == nil, "\(method) \(path): \(String(describing: response.failure))")
                #expect(response.status < 500, "\(method) \(path) gave \(response.status)")
            }
        }
    }
}
