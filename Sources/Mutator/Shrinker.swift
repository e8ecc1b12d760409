public import StampedeCore

/// Minimizes a failing request: delta debugging over its mutation operations, then structural
/// shrinking of the request itself, while a predicate says it still fails the same way.
///
/// The structural moves are: drop the body, a header, a query parameter, a form field, a JSON
/// member or array item; shorten a string (JSON string, header or query value, raw body) without
/// cutting into a `{{placeholder}}`; move a JSON number toward 0. The result is 1-minimal for
/// these moves unless the budget ran out: no single move of `simplifications(of:)` still fails.
///
/// ```swift
/// let result = await Shrinker(budget: 300).shrink(
///     parent: step.request, operations: mutant.operations, using: mutator
/// ) { candidate in await sendAndClassify(candidate) == signature }
/// ```
public struct Shrinker: Sendable {
    /// Most predicate calls spent on one shrink.
    public var budget: Int
    /// Whether `shrink(parent:…)` also tries the request-line moves toward the parent (cookies,
    /// method, path); see `shrink(_:reference:predicate:)`.
    public var normalizeRequestLine: Bool

    /// Creates a shrinker spending at most `budget` predicate calls (at least 1).
    public init(budget: Int = 500, normalizeRequestLine: Bool = false) {
        self.budget = max(1, budget)
        self.normalizeRequestLine = normalizeRequestLine
    }

    /// Delta debugging over `operations` applied to `parent`, then structural shrinking.
    ///
    /// - Parameters:
    ///   - parent: the recorded request the operations were applied to.
    ///   - operations: the failing mutant's operations, in order.
    ///   - mutator: re-applies subsets of the operations.
    ///   - predicate: whether a candidate still fails the same way (it may send requests).
    public func shrink(
        parent: RequestTemplate, operations: [MutationOperation], using mutator: Mutator,
        predicate: (MutatedRequest) async -> Bool
    ) async -> ShrinkResult {
        var oracle = Oracle(budget: budget)
        let full = mutator.applyAll(operations, to: parent)
        var ops = operations
        if await oracle.test(mutator.applyAll([], to: parent), predicate) {
            ops = []
        } else {
            ops = await ddmin(ops, oracle: &oracle, make: { mutator.applyAll($0, to: parent) }, predicate: predicate)
        }
        let start = ops == operations ? full : mutator.applyAll(ops, to: parent)
        var result = await structural(
            start, reference: normalizeRequestLine ? parent : nil, oracle: &oracle, predicate: predicate)
        result.operations = ops
        return result
    }

    /// Structural shrinking only, for a request with no operation list.
    ///
    /// With a `reference` (the recorded request it derives from) the request-line moves run too:
    /// send cookies again, the reference's method or `GET`, the reference's path or one of its
    /// segments, drop or shorten a path segment.
    public func shrink(
        _ request: MutatedRequest, reference: RequestTemplate? = nil, predicate: (MutatedRequest) async -> Bool
    ) async -> ShrinkResult {
        var oracle = Oracle(budget: budget)
        return await structural(request, reference: reference, oracle: &oracle, predicate: predicate)
    }

    /// Every request one structural move smaller than `request`, most promising first.
    public static func simplifications(of request: MutatedRequest) -> [MutatedRequest] {
        StructuralMoves.moves(of: request).compactMap { StructuralMoves.apply($0, to: request) }
    }

    func ddmin(
        _ input: [MutationOperation], oracle: inout Oracle,
        make: ([MutationOperation]) -> MutatedRequest, predicate: (MutatedRequest) async -> Bool
    ) async -> [MutationOperation] {
        var ops = input
        var n = 2
        while ops.count >= 2, !oracle.exhausted {
            let chunks = split(ops, into: n)
            var reduced = false
            for chunk in chunks where !oracle.exhausted {
                if await oracle.test(make(chunk), predicate) {
                    ops = chunk
                    n = 2
                    reduced = true
                    break
                }
            }
            if !reduced, n > 2 {
                for i in chunks.indices where !oracle.exhausted {
                    let complement = chunks.enumerated().filter { $0.offset != i }.flatMap(\.element)
                    if await oracle.test(make(complement), predicate) {
                        ops = complement
                        n = max(n - 1, 2)
                        reduced = true
                        break
                    }
                }
            }
            if !reduced {
                if n >= ops.count { break }
                n = min(ops.count, n * 2)
            }
        }
        // ddmin with n = 2 never tries single removals of a 2-element list's halves' complements
        // separately from the halves; one last pass makes the list 1-minimal.
        var i = 0
        while ops.count > 1, i < ops.count, !oracle.exhausted {
            var fewer = ops
            fewer.remove(at: i)
            if await oracle.test(make(fewer), predicate) { ops = fewer } else { i += 1 }
        }
        return ops
    }

    func split(_ ops: [MutationOperation], into n: Int) -> [[MutationOperation]] {
        let n = min(n, ops.count)
        var chunks: [[MutationOperation]] = []
        var start = 0
        for k in 0..<n {
            let end = (ops.count * (k + 1)) / n
            chunks.append(Array(ops[start..<end]))
            start = end
        }
        return chunks
    }

    func structural(
        _ start: MutatedRequest, reference: RequestTemplate? = nil, oracle: inout Oracle,
        predicate: (MutatedRequest) async -> Bool
    ) async -> ShrinkResult {
        var current = start
        var confirmed = false
        // Request-line moves can lengthen a request (restoring a recorded segment), so progress is
        // not monotone in size: never accepting a request twice is what guarantees termination.
        var accepted: Set<MutatedRequest> = [start]
        var changed = true
        while changed, !oracle.exhausted {
            changed = false
            if let reference {
                for candidate in ShrinkerRequestMoves.candidates(of: current, reference: reference)
                where !oracle.exhausted && !accepted.contains(candidate) {
                    if await oracle.test(candidate, predicate) {
                        current = candidate
                        accepted.insert(candidate)
                        confirmed = true
                        changed = true
                        break
                    }
                }
                if changed { continue }
            }
            var moves = StructuralMoves.moves(of: current)
            var i = 0
            while i < moves.count, !oracle.exhausted {
                guard let candidate = StructuralMoves.apply(moves[i], to: current), !accepted.contains(candidate) else {
                    i += 1
                    continue
                }
                if await oracle.test(candidate, predicate) {
                    current = candidate
                    accepted.insert(candidate)
                    confirmed = true
                    changed = true
                    // Moves before `i` failed on a larger request; carry on from here and let the
                    // next pass recheck them.
                    moves = StructuralMoves.moves(of: current)
                } else {
                    i += 1
                }
            }
        }
        return ShrinkResult(
            request: current, operations: [], predicateCalls: oracle.calls, budgetExhausted: oracle.exhausted,
            shrankStructurally: confirmed)
    }
}

/// What a shrink produced.
public struct ShrinkResult: Sendable, Hashable {
    /// The smallest failing request found.
    public var request: MutatedRequest
    /// The operations left after delta debugging (empty for a structural-only shrink).
    public var operations: [MutationOperation]
    /// Predicate calls spent.
    public var predicateCalls: Int
    /// True when the budget ran out before the request was 1-minimal.
    public var budgetExhausted: Bool
    /// Whether any structural move was accepted.
    public var shrankStructurally: Bool
}

/// Counts predicate calls and remembers answers, so a candidate is never sent twice.
struct Oracle {
    let budget: Int
    var calls = 0
    var answers: [MutatedRequest: Bool] = [:]

    init(budget: Int) { self.budget = budget }

    var exhausted: Bool { calls >= budget }

    mutating func test(_ candidate: MutatedRequest, _ predicate: (MutatedRequest) async -> Bool) async -> Bool {
        if let known = answers[candidate] { return known }
        guard !exhausted else { return false }
        calls += 1
        let answer = await predicate(candidate)
        answers[candidate] = answer
        return answer
    }
}
