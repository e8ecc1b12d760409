/// Tunables of a `Mutator`.
public struct MutatorConfiguration: Sendable, Hashable {
    /// Most operations stacked on one mutant (at least 1); the count is drawn geometrically,
    /// so one operation is the most common.
    public var maximumStack: Int
    /// Weight overrides by operator name (`json.type-confuse`) or family prefix (`json`, `path`);
    /// an exact name wins over a family. A weight of 0 disables the operator.
    public var weights: [String: Double]
    /// Whether feedback changes parent and operator choice in `nextMutant(seed:)`.
    public var adaptive: Bool
    /// Sizes used by the "huge" and "over-long" operators, smallest first. Kept modest by default
    /// so that mutation is cheap; raise them to stress limits.
    public var hugeSizes: [Int]
    /// Where mutated paths may point; a mutant outside is dropped and another one made.
    public var scope: MonkeyScope
    /// Largest body, in bytes, that the depth and width bombs (`json.deep-nesting`, `json.wide`) build (16 KiB by default).
    public var maximumBodyBytes: Int
    /// Whether `nextMutant(seed:)` also sends discovery mutants (links and well-known paths learned
    /// through `learn(from:)`) and draws learned values.
    public var discovery: Bool
    /// Whether `nextMutant(seed:)` starts with the first pass (every probe variant and every operator
    /// once on every distinct recorded request) before sampling at random.
    public var firstPass: Bool

    /// 16 KiB: deep enough for any recursion limit (2,000+ levels), small enough that a target parses
    /// it in milliseconds, so a bomb finds recursion bugs rather than reporting slowness.
    public static let defaultMaximumBody = 16_384

    /// Creates a configuration; the defaults suit fuzzing alongside load.
    public init(
        maximumStack: Int = 4,
        weights: [String: Double] = [:],
        adaptive: Bool = true,
        hugeSizes: [Int] = [65, 256, 1025, 4097, 16_385],
        scope: MonkeyScope = .prefix,
        maximumBodyBytes: Int = MutatorConfiguration.defaultMaximumBody,
        discovery: Bool = true,
        firstPass: Bool = true
    ) {
        self.firstPass = firstPass
        self.scope = scope
        self.maximumStack = max(1, maximumStack)
        self.weights = weights
        self.adaptive = adaptive
        self.hugeSizes = hugeSizes.isEmpty ? [65] : hugeSizes
        self.maximumBodyBytes = max(0, maximumBodyBytes)
        self.discovery = discovery
    }

    /// The weight for an operator with a given default.
    func weight(for name: String, default base: Double) -> Double {
        if let exact = weights[name] { return max(0, exact) }
        if let dot = name.firstIndex(of: "."), let family = weights[String(name[..<dot])] {
            return max(0, family * base)
        }
        return base
    }
}

/// What the replayer observed for a mutant, fed back to steer later choices.
public struct MutationOutcome: Hashable, Sendable {
    /// Endpoint template key of the request sent (`POST /api/v1/scripts/{id}`).
    public var endpoint: String
    /// HTTP status, or 0 for a transport failure.
    public var status: Int
    /// A structural fingerprint of the response (see `ResponseShape.fingerprint`).
    public var shape: UInt64

    /// Creates an outcome.
    public init(endpoint: String, status: Int, shape: UInt64) {
        self.endpoint = endpoint
        self.status = status
        self.shape = shape
    }
}
