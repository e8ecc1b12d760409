import Replayer
import Reports
import Testing

@Suite struct ThresholdParserTests {
    @Test(arguments: [
        ("p99<300ms", Threshold.Comparison.less, 300.0), ("p95<=150", .lessOrEqual, 150), ("p50>0.5s", .greater, 500),
        ("max>=2000us", .greaterOrEqual, 2), ("failures==0", .equal, 0), ("findings!=3", .notEqual, 3),
    ])
    func operatorsAndUnits(expression: String, comparison: Threshold.Comparison, limit: Double) throws {
        let t = try Threshold(parsing: expression)
        #expect(t.comparison == comparison)
        #expect(t.limit == limit)
        #expect(t.scope == .run)
        #expect(t.expression == expression)
    }

    @Test func percentagesAndRates() throws {
        let errors = try Threshold(parsing: "errors<1%")
        #expect(errors.metric == .errors && errors.isPercentage && errors.limit == 1 && errors.unit == "%")
        let rps = try Threshold(parsing: "rps > 500/s")
        #expect(rps.metric == .rps && !rps.isPercentage && rps.limit == 500 && rps.comparison == .greater)
        let cls = try Threshold(parsing: "server_error==0")
        #expect(cls.metric == .failureClass("server_error") && cls.unit == "")
        #expect(try Threshold(parsing: "timeout < 0.5%").isPercentage)
    }

    @Test func scopes() throws {
        let endpoint = try Threshold(parsing: "POST /api/v1/execute: p99<500ms")
        #expect(endpoint.scope == .endpoint("POST /api/v1/execute"))
        #expect(endpoint.metric == .latency("p99") && endpoint.limit == 500)
        let colon = try Threshold(parsing: "GET /v1/things/{id}:archive: errors==0")
        #expect(colon.scope == .endpoint("GET /v1/things/{id}:archive"))
        #expect(try Threshold(parsing: "user: failures==0").scope == .mode("user"))
        #expect(try Threshold(parsing: "monkey:server_error<5").scope == .mode("monkey"))
    }

    @Test(arguments: [
        ("", "expected a metric"), ("p42<3ms", "unknown metric p42"), ("p99 300ms", "expected one of"),
        ("p99<fast", "expected a number"), ("p99<3%", "latency takes ms, s or us"), ("errors<3ms", "errors takes a count or a percentage"),
        ("rps>5%", "rps takes a plain number"), ("findings<1%", "findings takes a plain number"),
        ("admin: failures==0", "the scope before ':' must be"), ("user: regressions==0", "no per-mode"), ("p99<inf", "expected a number"),
    ])
    func badExpressions(expression: String, reason: String) {
        #expect {
            try Threshold(parsing: expression)
        } throws: { error in
            let e = error as? ThresholdError
            return e?.description.contains(reason) == true && e?.description.contains("\n") == false
        }
    }
}

@Suite struct ThresholdEvaluatorTests {
    func evaluate(_ expression: String) throws -> ThresholdResult {
        try Threshold(parsing: expression).evaluate(try Fixture.report())
    }

    @Test func runWide() throws {
        let r = try Fixture.report()
        let p99 = try #require(r.latencyMs?.p99)
        #expect(try evaluate("p99<\(p99 + 1)ms").passed)
        #expect(try !evaluate("p99<\(p99)ms").passed)
        #expect(try evaluate("p99<=\(p99)").passed)
        #expect(try evaluate("p99<=\(p99)").actual == p99)
        #expect(try evaluate("requests==\(r.totalRequests)").passed)
        #expect(try evaluate("findings==\(r.findings.count)").passed)
        #expect(try !evaluate("findings!=\(r.findings.count)").passed)
        let share = Double(r.totalErrors) * 100 / Double(r.totalRequests)
        let errors = try evaluate("errors<\(share + 0.01)%")
        #expect(errors.passed && errors.unit == "%")
        #expect(try !evaluate("errors<\(share - 0.01)%").passed)
        let rps = Double(r.totalRequests) / r.runtimeSeconds
        #expect(try evaluate("rps>\(rps - 1)").passed && !evaluate("rps>\(rps + 1)").passed)
        #expect(try evaluate("rps>=\(rps - 1)").unit == "/s")
    }

    @Test func failureClassesAndFailures() throws {
        let r = try Fixture.report()
        let server = r.failureClasses["server_error"] ?? 0
        #expect(server > 0, "the demo fixture has planted 5xx")
        #expect(try !evaluate("server_error==0").passed)
        #expect(try evaluate("server_error==\(server)").passed)
        #expect(try evaluate("failures==\(ReplayReport.hardFailures(r.failureClasses))").passed)
        #expect(try evaluate("slow==0").passed)
    }

    @Test func perEndpointAndPerMode() throws {
        let r = try Fixture.report()
        let (key, e) = try #require(r.endpoints.max { $0.value.count < $1.value.count })
        #expect(try evaluate("\(key): requests==\(e.count)").passed)
        #expect(try evaluate("\(key): errors==\(e.errors)").scope == key)
        let p50 = try #require(e.latencyMs?.p50)
        #expect(try evaluate("\(key): p50>=\(p50)ms").passed && !evaluate("\(key): p50>\(p50)ms").passed)
        let user = try #require(r.modes["user"])
        #expect(try evaluate("user: failures==\(user.failures)").passed)
        #expect(try evaluate("user: requests==\(user.requests)").passed)
        let monkeyFindings = r.findings.filter { $0.source == .monkey }.count
        #expect(try evaluate("monkey: findings==\(monkeyFindings)").passed)
    }

    @Test func missingScopesFailWithAReason() throws {
        let missing = try evaluate("DELETE /nowhere: failures==0")
        #expect(!missing.passed && missing.actual == nil)
        #expect(missing.detail?.contains("no requests to DELETE /nowhere") == true)
        let table = ThresholdTable.render([missing])
        #expect(table.contains("FAIL") && table.contains("no requests"))
        #expect(ThresholdTable.failureLine([missing])?.hasPrefix("1 threshold(s) failed: DELETE /nowhere: failures==0") == true)
    }
}

@Suite struct ThresholdConfigTests {
    @Test func configFileListsThresholds() throws {
        let path = try Fixture.temporary(#"{"thresholds": ["p99<300ms", "user: failures==0"], "other": 1}"#, ext: "json")
        let expressions = try ReportFile.thresholdExpressions(configFile: path)
        #expect(expressions == ["p99<300ms", "user: failures==0"])
        #expect(try Threshold.parseAll(expressions).map(\.scope) == [.run, .mode("user")])
    }

    @Test func badConfigFilesSayWhy() throws {
        let notJSON = try Fixture.temporary("thresholds: p99<300ms", ext: "yaml")
        #expect(throws: ReportFile.ReadError.self) { try ReportFile.thresholdExpressions(configFile: notJSON) }
        let wrongType = try Fixture.temporary(#"{"thresholds": "p99<300ms"}"#, ext: "json")
        do {
            _ = try ReportFile.thresholdExpressions(configFile: wrongType)
            Issue.record("a string instead of a list was accepted")
        } catch {
            #expect(error.description.contains("expected a JSON object such as"))
        }
        #expect(throws: ReportFile.ReadError.self) { try ReportFile.thresholdExpressions(configFile: "/nonexistent/config.json") }
    }
}
