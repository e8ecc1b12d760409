public import StampedeCore

/// A Hypothesis-style property check over valid JSON inputs: draw, test, and on the first failure
/// shrink to a minimal counterexample.
///
/// The property is an `async` closure, so it can send each value over HTTP; this module never
/// does I/O itself. Run `i` draws its value from `SeededGenerator(seed: seed, i)`, so a seed and a
/// run count reproduce the same sequence of inputs. The shrinker only accepts candidates that
/// fail with the *same* failure text as the original, so shrinking cannot slide from one bug into
/// another.
///
/// ```swift
/// let check = PropertyCheck(schema: PropertyStrategies.register, runs: 200, seed: 1)
/// let result = await check.run { body in
///     let response = await engine.send(post(body))
///     return response.status >= 500 ? .fail("HTTP \(response.status)") : .pass
/// }
/// if let counterexample = result.counterexample { print(counterexample.minimal.serialized()) }
/// ```
public struct PropertyCheck: Sendable {
    /// The valid inputs to draw from.
    public var schema: PropertySchema
    /// How many values to try before declaring the property held.
    public var runs: Int
    /// The seed of the whole check.
    public var seed: UInt64
    /// Most property calls the shrinker may spend.
    public var shrinkBudget: Int

    /// Creates a check.
    public init(schema: PropertySchema, runs: Int = 200, seed: UInt64, shrinkBudget: Int = 2_000) {
        self.schema = schema
        self.runs = runs
        self.seed = seed
        self.shrinkBudget = shrinkBudget
    }

    /// The value run `index` tests.
    public func value(forRun index: Int) -> JSONValue {
        var rng = SeededGenerator(seed: seed, UInt64(index))
        return schema.generate(using: &rng)
    }

    /// Runs the check; stops at the first failing run and shrinks it.
    public func run(_ property: (JSONValue) async -> PropertyVerdict) async -> PropertyCheckResult {
        for index in 0..<runs {
            let value = value(forRun: index)
            guard case .fail(let failure) = await property(value) else { continue }
            let shrinker = PropertyShrinker(schema: schema, budget: shrinkBudget)
            let shrunk = await shrinker.shrink(value) { candidate in
                await property(candidate) == .fail(failure)
            }
            let counterexample = PropertyCounterexample(
                run: index, original: value, minimal: shrunk.value, failure: failure,
                shrinkMoves: shrunk.moves, shrinkCalls: shrunk.calls, locallyMinimal: shrunk.locallyMinimal)
            return PropertyCheckResult(runs: index + 1, counterexample: counterexample)
        }
        return PropertyCheckResult(runs: runs, counterexample: nil)
    }
}

/// The outcome of one property evaluation.
public enum PropertyVerdict: Hashable, Sendable {
    /// The property held for this input.
    case pass
    /// The property failed; the text is a stable failure signature (`HTTP 500`, `CURLE_RECV_ERROR`).
    case fail(String)
}

/// What a ``PropertyCheck`` run found.
public struct PropertyCheckResult: Hashable, Sendable {
    /// Runs performed (the failing run included).
    public var runs: Int
    /// The shrunk failure, if any run failed.
    public var counterexample: PropertyCounterexample?

    /// Whether every run passed.
    public var passed: Bool { counterexample == nil }
}

/// A failing input and its shrunk form.
public struct PropertyCounterexample: Hashable, Sendable {
    /// The index of the first failing run (reproduce with the same seed and at least `run + 1` runs).
    public var run: Int
    /// The value that failed first.
    public var original: JSONValue
    /// The minimal value that fails the same way.
    public var minimal: JSONValue
    /// The failure signature shared by both.
    public var failure: String
    /// Successful shrink steps.
    public var shrinkMoves: Int
    /// Property calls the shrinker spent.
    public var shrinkCalls: Int
    /// `false` when the shrink budget ran out before a local minimum.
    public var locallyMinimal: Bool
}
