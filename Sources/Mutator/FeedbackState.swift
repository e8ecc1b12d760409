/// Coverage-guided statistics behind the mutator's mutex.
struct FeedbackState {
    /// The (endpoint, status, shape) combinations seen, up to `maximumCoverage`: a target that echoes
    /// input into its errors has no end of shapes, and a long run must not keep every one. Past the
    /// bound nothing counts as new any more, so guidance keeps the weights it learned.
    var seen: Set<CoverageKey> = []
    let maximumCoverage: Int
    var parentRewards: [Double]
    var operatorUses: [Int]
    var operatorRewards: [Int]
    var operatorWeights: [Double]
    var feedbackCount = 0
    /// Uses and rewards of operations outside the catalog (`discover.link`, `learned.value`).
    var extraCounts: [String: (uses: Int, rewards: Int)] = [:]
    /// Cumulative parent energies; rebuilt lazily after a reward.
    var cumulative: [Double] = []
    var cumulativeDirty = true

    struct CoverageKey: Hashable {
        var endpoint: String
        var status: Int
        var shape: UInt64
    }

    /// The bound on remembered shapes by default (a few MB at most).
    static let defaultMaximumCoverage = 65_536

    init(parentCount: Int, operatorWeights: [Double], maximumCoverage: Int = FeedbackState.defaultMaximumCoverage) {
        self.maximumCoverage = maximumCoverage
        parentRewards = Array(repeating: 0, count: parentCount)
        operatorUses = Array(repeating: 0, count: operatorWeights.count)
        operatorRewards = Array(repeating: 0, count: operatorWeights.count)
        self.operatorWeights = operatorWeights
    }

    mutating func snapshot() -> ([Double], [Double]) {
        if cumulativeDirty {
            var total = 0.0
            cumulative = parentRewards.map { reward in
                // Energy 1 plus a capped bonus, so no parent starves the others.
                total += 1 + min(reward, 32)
                return total
            }
            cumulativeDirty = false
        }
        return (cumulative, operatorWeights)
    }

    /// Counts the outcome; with `adaptive` also re-weights the operators and rewards the parent.
    mutating func record(outcome: MutationOutcome, parent: Int?, operators: [Int], extra: [String], adaptive: Bool, baseWeights: [Double]) {
        feedbackCount += 1
        let isNew = seen.count < maximumCoverage
            && seen.insert(CoverageKey(endpoint: outcome.endpoint, status: outcome.status, shape: outcome.shape)).inserted
        for name in extra {
            extraCounts[name, default: (0, 0)].uses += 1
            if isNew { extraCounts[name, default: (0, 0)].rewards += 1 }
        }
        for k in operators {
            operatorUses[k] += 1
            if isNew { operatorRewards[k] += 1 }
            guard adaptive else { continue }
            operatorWeights[k] = Self.weight(base: baseWeights[k], uses: operatorUses[k], rewards: operatorRewards[k])
        }
        if adaptive, isNew, let parent {
            parentRewards[parent] += 1
            cumulativeDirty = true
        }
    }

    /// A learned weight: the Laplace-smoothed success rate, scaled so an average operator keeps its base weight.
    static func weight(base: Double, uses: Int, rewards: Int) -> Double {
        base * (0.5 + 4 * Double(rewards + 1) / Double(uses + 2))
    }

    /// The learned weight of an operation outside the catalog (base weight 1): an unseen one weighs
    /// what one with an average record does, so a family's new cases are not starved.
    func extraWeight(_ name: String) -> Double {
        let counts = extraCounts[name] ?? (0, 0)
        return Self.weight(base: 1, uses: counts.uses, rewards: counts.rewards)
    }

    func statistics(names: [String]) -> MutatorStatistics {
        MutatorStatistics(
            feedbackCount: feedbackCount,
            coverage: seen.count,
            operators: names.indices.map { i in
                MutatorStatistics.OperatorStats(
                    name: names[i], uses: operatorUses[i], rewards: operatorRewards[i], weight: operatorWeights[i])
            } + extraCounts.keys.sorted().map { name in
                MutatorStatistics.OperatorStats(
                    name: name, uses: extraCounts[name]?.uses ?? 0, rewards: extraCounts[name]?.rewards ?? 0, weight: extraWeight(name))
            })
    }
}

/// Feedback counters: how many outcomes, how many distinct behaviours, and per-operator yield.
public struct MutatorStatistics: Sendable, Hashable {
    /// Counters of one operator.
    public struct OperatorStats: Sendable, Hashable {
        /// The operator's name.
        public var name: String
        /// Mutants with this operator that got feedback (counted with `adaptive` off too).
        public var uses: Int
        /// Uses that found a new (endpoint, status, shape) combination.
        public var rewards: Int
        /// The current weight in `nextMutant` (for an operation outside the catalog, `learnedWeights(of:)`'s).
        public var weight: Double
    }

    /// Outcomes reported so far.
    public var feedbackCount: Int
    /// Distinct (endpoint, status, shape) combinations seen.
    public var coverage: Int
    /// Per-operator counters, in catalog order, then discovery operations (`discover.link`, …) by name.
    public var operators: [OperatorStats]
}
