import Foundation
import Replayer
import Reports
import Testing

@Suite struct ReportComparisonTests {
    @Test func identicalRunsHaveNoRegression() throws {
        let r = try Fixture.report()
        let c = ReportComparison(base: r, new: r, tolerance: 0.1)
        #expect(!c.regression)
        #expect(c.findings.allSatisfy { $0.status == "still" } && c.findings.count == r.findings.count)
        #expect(c.endpoints.count == r.endpoints.count && c.endpoints.allSatisfy { $0.presence == "both" && !$0.regression })
        #expect(c.table().contains("verdict: no regression"))
    }

    @Test func slowerEndpointNewAndFixedFindings() throws {
        let base = try Fixture.report()
        var new = base
        let (key, e) = try #require(base.endpoints.max { $0.value.count < $1.value.count })
        var slower = e
        slower.latencyMs?.p99 = (e.latencyMs?.p99 ?? 0) * 1.5 + 5
        new.endpoints[key] = slower
        let fixed = try #require(new.findings.first)
        new.findings.removeFirst()
        var added = fixed
        added.signature = "00newsig"
        added.endpoint = "GET /brand/new"
        new.findings.append(added)

        let c = ReportComparison(base: base, new: new, tolerance: 0.1)
        #expect(c.regression)
        let delta = try #require(c.endpoints.first { $0.endpoint == key })
        #expect(delta.p99Ms?.regression == true && delta.p50Ms?.regression == false)
        #expect(c.findings.first { $0.signature == "00newsig" }?.status == "new")
        #expect(c.findings.first { $0.signature == fixed.signature }?.status == "fixed")
        #expect(c.findings.filter { $0.status == "still" }.count == base.findings.count - 1)

        // Within tolerance: +5 % is not a regression.
        var slight = base
        var e5 = e
        e5.latencyMs?.p99 = (e.latencyMs?.p99 ?? 0) * 1.05
        slight.endpoints[key] = e5
        #expect(!ReportComparison(base: base, new: slight, tolerance: 0.1).regression)
    }

    @Test func errorRateAndThroughput() throws {
        let base = try Fixture.report()
        let (key, e) = try #require(base.endpoints.max { $0.value.count < $1.value.count })
        var new = base
        var worse = e
        worse.errors = e.errors + max(1, e.count / 5)
        new.endpoints[key] = worse
        #expect(ReportComparison(base: base, new: new, tolerance: 0.1).endpoints.first { $0.endpoint == key }?.errorRate?.regression == true)
        var slow = base
        slow.runtimeSeconds = base.runtimeSeconds * 2
        let halved = ReportComparison(base: base, new: slow, tolerance: 0.1)
        #expect(halved.endpoints.first { $0.endpoint == key }?.rps?.regression == true)
    }

    @Test func formats() throws {
        let base = try Fixture.report()
        var new = base
        new.endpoints["GET /only/new"] = base.endpoints.values.first
        let c = ReportComparison(base: base, new: new, tolerance: 0.1, baseName: "a.json", newName: "b.json")
        let md = c.markdown()
        #expect(md.hasPrefix("### Stampede: ✅ no regression (`a.json` → `b.json`"))
        #expect(md.contains("| `GET /only/new` | | | | | only in the new run |"))
        let json = try JSONDecoder().decode(ReportComparison.self, from: Data(try c.json().utf8))
        #expect(json == c)
        #expect(c.table().split(separator: "\n").allSatisfy { $0.count <= 200 })
    }
}
