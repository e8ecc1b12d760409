public import StampedeCore

/// Shrinks a failing value to a locally minimal one that still fails, staying inside a schema.
///
/// Greedy, predicate-driven and budgeted: it walks ``PropertySchema/shrinkCandidates(of:)`` and
/// moves to the first candidate the predicate still rejects. After a move it resumes at the same
/// position of the new candidate list rather than from the top, so the structural steps that
/// failed a moment ago are not re-sent after every character simplification. Results of the
/// predicate are cached, so no candidate is evaluated twice. It stops when a full pass over the
/// candidates moves nothing (locally minimal) or the budget of predicate calls is spent.
///
/// ```swift
/// let shrinker = PropertyShrinker(schema: schema, budget: 2_000)
/// let result = await shrinker.shrink(failing) { candidate in
///     await send(candidate).status >= 500        // true: still fails
/// }
/// ```
public struct PropertyShrinker: Sendable {
    /// The schema every candidate stays valid under.
    public var schema: PropertySchema
    /// Most predicate calls to spend.
    public var budget: Int

    /// Creates a shrinker.
    public init(schema: PropertySchema, budget: Int = 2_000) {
        self.schema = schema
        self.budget = budget
    }

    /// Shrinks `value`, which must already fail; `stillFails` is called once per distinct candidate.
    public func shrink(_ value: JSONValue, stillFails: (JSONValue) async -> Bool) async -> PropertyShrinkResult {
        var current = value
        var calls = 0
        var moves = 0
        var verdicts: [JSONValue: Bool] = [:]
        var candidates = schema.shrinkCandidates(of: current)
        var position = 0
        var misses = 0
        while !candidates.isEmpty, misses < candidates.count, calls < budget {
            let candidate = candidates[position % candidates.count]
            let fails: Bool
            if let known = verdicts[candidate] {
                fails = known
            } else {
                calls += 1
                fails = await stillFails(candidate)
                verdicts[candidate] = fails
            }
            if fails {
                current = candidate
                moves += 1
                misses = 0
                candidates = schema.shrinkCandidates(of: current)
                if !candidates.isEmpty { position %= candidates.count }
            } else {
                position += 1
                misses += 1
            }
        }
        let minimal = candidates.isEmpty || misses >= candidates.count
        return PropertyShrinkResult(value: current, moves: moves, calls: calls, locallyMinimal: minimal)
    }
}

/// What ``PropertyShrinker`` found.
public struct PropertyShrinkResult: Hashable, Sendable {
    /// The smallest failing value found.
    public var value: JSONValue
    /// How many times a simpler failing value replaced the current one.
    public var moves: Int
    /// Predicate calls spent (each a request when the predicate sends one).
    public var calls: Int
    /// `true` when no candidate of `value` fails; `false` when the budget ran out first.
    public var locallyMinimal: Bool
}
