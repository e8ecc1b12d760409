package import StampedeCore
import StampedeHTTP
import Synchronization

/// The first pass: a fixed plan of single-operation mutants that `nextMutant(seed:)` hands out,
/// in order and shared by every client, before it samples at random.
///
/// 1. Every variant of every probe (`ProbeOperators`) on every distinct recorded request,
///    variant-major: variant 1 of every probe on every step first, then variant 2, …
/// 2. Every other operator once on every distinct recorded request.
///
/// So a defect one boundary away from the recording (a 65-character id, `If-None-Match: *x`,
/// `limit=0`) is reached within the plan's length, whatever the seed, instead of by chance.
struct FirstPassItem: Sendable, Hashable {
    /// Flat parent index (`Mutator.parents`).
    var parent: Int
    /// Operator index in the catalog.
    var op: Int
    /// The operation seed: for a probe, one whose first draw selects the planned variant.
    var seed: UInt64
}

enum FirstPass {
    /// The plan for a corpus. `facts` and `contexts` are per flat parent.
    static func plan(
        requests: [RequestTemplate], facts: [MutationContext.Facts], contexts: [MutationContext],
        operators: [MutationOperator], weights: [Double]
    ) -> [FirstPassItem] {
        // Steps repeated across sessions (a login in every flow) are planned once.
        var seen = Set<RequestTemplate>()
        let distinct = requests.indices.filter { seen.insert(requests[$0]).inserted }
        func applies(_ k: Int, _ p: Int) -> Bool { weights[k] > 0 && facts[p].isSuperset(of: operators[k].requires) }

        var probes: [(parent: Int, op: Int, count: Int)] = []
        for k in operators.indices {
            guard let variants = operators[k].variants else { continue }
            for p in distinct where applies(k, p) {
                var ctx = contexts[p]
                let n = variants(&ctx)
                if n > 0 { probes.append((p, k, n)) }
            }
        }
        var items: [FirstPassItem] = []
        let widest = probes.map(\.count).max() ?? 0
        for v in 0..<widest {
            for probe in probes where v < probe.count {
                items.append(FirstPassItem(parent: probe.parent, op: probe.op, seed: variantSeed(v, of: probe.count)))
            }
        }
        for k in operators.indices where operators[k].variants == nil {
            for p in distinct where applies(k, p) {
                items.append(FirstPassItem(parent: p, op: k, seed: pairSeed(p, k)))
            }
        }
        return items
    }

    static func pairSeed(_ parent: Int, _ op: Int) -> UInt64 {
        var rng = SeededGenerator(seed: 0xF1_9A55, UInt64(parent), UInt64(op))
        return rng.next()
    }

    /// The first seed (counting up from one derived from the pair) whose generator's first
    /// `next(below: count)` is `variant`: about `count` tries.
    static func variantSeed(_ variant: Int, of count: Int) -> UInt64 {
        var base = SeededGenerator(seed: 0xF1_9A55, UInt64(count), UInt64(variant))
        var seed = base.next()
        while true {
            var rng = SeededGenerator(seed: seed)
            if rng.next(below: count) == variant { return seed }
            seed &+= 1
        }
    }
}

extension Mutator {
    /// Mutants of the first pass handed out so far, and the plan's length.
    public var firstPassProgress: (sent: Int, planned: Int) {
        (min(firstPassCursor.load(ordering: .relaxed), firstPass.count) - firstPassDeferred.count, firstPass.count)
    }

    /// Whether planned mutants are left (not yet handed out, or deferred).
    var firstPassPending: Bool {
        firstPassCursor.load(ordering: .relaxed) < firstPass.count || firstPassDeferred.count > 0
    }

    /// The next planned first-pass mutant, or nil once the plan is used up (or switched off).
    ///
    /// An item whose parent needs an extracted variable the caller has not bound (an execution id
    /// before any execution) is deferred, and handed to the first caller that has it bound: sent
    /// with the variable missing it would test a 404, not the boundary.
    func firstPassMutant(seed: UInt64, bound: (String) -> Bool) -> Mutant? {
        func ready(_ i: Int) -> Bool { parentVariables[firstPass[i].parent].allSatisfy(bound) }
        if let i = firstPassDeferred.take(where: ready), let mutant = firstPassMutant(item: i, seed: seed) {
            return mutant
        }
        while true {
            let i = firstPassCursor.wrappingAdd(1, ordering: .relaxed).oldValue
            guard i < firstPass.count else { return nil }
            guard ready(i) else {
                firstPassDeferred.append(i)
                continue
            }
            if let mutant = firstPassMutant(item: i, seed: seed) { return mutant }
        }
    }

    /// The mutant of one plan item; nil when the operator declines or the path leaves the scope.
    func firstPassMutant(item index: Int, seed: UInt64) -> Mutant? {
        let item = firstPass[index]
        let (s, t) = parents[item.parent]
        let parent = sessions[s].steps[t].request
        var ctx = parentContexts[s][t]
        var rng = SeededGenerator(seed: item.seed)
        guard let detail = operators[item.op].apply(&ctx, &rng) else { return nil }
        let result = ctx.finish()
        guard isInScope(result.request, parent: parent) else {
            droppedOutOfScope.add(1, ordering: .relaxed)
            return nil
        }
        let op = MutationOperation(name: operators[item.op].name, detail: detail, seed: item.seed)
        return Mutant(
            parentSession: s, parentStep: t, seed: seed, operations: [op], request: result.request, dropCookies: result.dropCookies)
    }

    /// Placeholders of a request that only a response binds (not `vu.*`, `cookie.*`, `secret.*`,
    /// `random.*`, `now.*` or `run.*`), in order, without repeats.
    package static func extractedVariables(of request: RequestTemplate) -> [String] {
        var texts = [request.path] + request.query.compactMap(\.value) + request.headers.map(\.value)
        if let body = request.body?.text { texts.append(body) }
        var names: [String] = []
        for text in texts where Placeholders.contains(text) {
            let bytes = Array(text.utf8)
            for range in Placeholders.ranges(in: bytes) {
                let name = String(decoding: bytes[(range.lowerBound + 2)..<(range.upperBound - 2)], as: UTF8.self)
                let builtin = ["vu.", "cookie.", "secret.", "random.", "now.", "run."].contains { name.hasPrefix($0) }
                if !builtin, !names.contains(name) { names.append(name) }
            }
        }
        return names
    }
}
