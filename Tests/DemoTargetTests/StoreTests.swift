@testable import DemoTarget
import Testing

/// Bounded state and the execution simulator, below the HTTP layer.
@Suite struct StoreTests {
    @Test func evictingMapDropsOldestPastCapacity() {
        var map = EvictingMap<Int, String>(capacity: 3)
        for key in 1...5 { map.set("v\(key)", for: key) }
        #expect(map.count == 3)
        #expect(map[1] == nil && map[2] == nil)
        #expect(map.valuesInOrder == ["v3", "v4", "v5"])
        map.set("v3b", for: 3)  // a replacement keeps its age
        map.set("v6", for: 6)
        #expect(map[3] == nil)
        #expect(map.valuesInOrder == ["v4", "v5", "v6"])
        map.remove(5)
        #expect(map.valuesInOrder == ["v4", "v6"])
    }

    @Test func evictingMapHonoursCostBudget() {
        var map = EvictingMap<Int, String>(capacity: 100, costLimit: 10) { $0.utf8.count }
        map.set("aaaa", for: 1)
        map.set("bbbb", for: 2)
        let evicted = map.set("cccc", for: 3)
        #expect(evicted.map(\.key) == [1])
        #expect(map.totalCost == 8)
        // Churn far past capacity keeps the internal order queue compact.
        for key in 10..<20_000 { map.set("x", for: key); map.remove(key - 1) }
        #expect(map.count <= 3)
    }

    @Test func sessionsAndExecutionsStayBounded() {
        let store = DemoStore(limits: DemoStore.Limits(users: 10, sessions: 5, executions: 7, scripts: 4, scriptBytes: 1 << 20))
        for index in 0..<50 {
            _ = store.register(username: "user\(index)", email: "u@e.com", password: "password1")
            _ = store.login(username: "user\(index)", password: "password1")
            _ = store.createExecution(owner: "owner", lang: "python", langVersion: "3.11")
            _ = store.createScript(owner: "owner", name: "n", script: "s", description: nil, lang: "python", langVersion: "3.11")
        }
        let counts = store.counts
        #expect(counts.users == 10 && counts.sessions == 5 && counts.executions == 7 && counts.scripts == 4)
        // An evicted user's name is free again.
        #expect(store.register(username: "user0", email: "u@e.com", password: "password1") != nil)
        #expect(store.register(username: "user49", email: "u@e.com", password: "password1") == nil)
    }

    /// Listing is per owner (an index, not a walk over every script): the owner's surviving scripts,
    /// oldest first, after evictions (count and cost), deletes and updates; others' never appear.
    @Test func listingFollowsEvictionsDeletesAndOwners() {
        let store = DemoStore(limits: DemoStore.Limits(users: 10, sessions: 5, executions: 7, scripts: 5, scriptBytes: 100))
        func create(_ owner: String, _ name: String, size: Int = 1) -> String {
            store.createScript(owner: owner, name: name, script: String(repeating: "x", count: size), description: nil,
                               lang: "python", langVersion: "3.11").id
        }
        let a1 = create("a", "a1"), b1 = create("b", "b1"), a2 = create("a", "a2"), a3 = create("a", "a3")
        _ = create("b", "b2")
        _ = create("b", "b3")  // the sixth: a1 is evicted
        #expect(store.scripts(owner: "a", limit: 10, offset: 0).map(\.name) == ["a2", "a3"])
        #expect(store.deleteScript(id: a2, owner: "a"))
        #expect(!store.deleteScript(id: b1, owner: "a"))
        #expect(store.scripts(owner: "a", limit: 10, offset: 0).map(\.id) == [a3])
        #expect(store.scripts(owner: "b", limit: 2, offset: 1).map(\.name) == ["b2", "b3"])
        // An update past the cost budget evicts the oldest others (b1, b2), and keeps its own place.
        _ = store.updateScript(id: a3, owner: "a") { $0.script = String(repeating: "y", count: 99) }
        #expect(store.scripts(owner: "b", limit: 10, offset: 0).map(\.name) == ["b3"])
        #expect(store.counts.scripts == 2)
        #expect(store.scripts(owner: "a", limit: 10, offset: 0).map(\.id) == [a3])
        #expect(store.scripts(owner: "c", limit: 10, offset: 0).isEmpty)
        #expect(store.script(id: a1, owner: "a") == nil)
    }

    @Test(arguments: [
        ("print('a')\nprint(\"b\")", "completed", "a\nb\n"),
        ("raise SystemExit", "failed", ""),
        ("x = 1/0", "failed", ""),
        ("print((1)", "failed", ""),
        ("", "completed", ""),
    ])
    func simulatedOutcomes(script: String, status: String, output: String) {
        let outcome = ExecutionSimulator.outcome(for: script)
        #expect(outcome.status == status)
        #expect(outcome.output == output)
        #expect((50...500).contains(outcome.durationMs))
        #expect(outcome == ExecutionSimulator.outcome(for: script), "deterministic")
    }

    @Test func sleepStretchesTheRunWithinACap() {
        #expect(ExecutionSimulator.sleepMilliseconds("import time\ntime.sleep(1.5)") == 1_500)
        #expect(ExecutionSimulator.sleepMilliseconds("time.sleep(100)") == 3_000)
        #expect(ExecutionSimulator.sleepMilliseconds("time.sleep(x)") == 0)
    }
}
