import Foundation

/// One shard of a run split across processes: shard `index` of `count` (0-based).
///
/// Shard I runs the global client indices I, I+N, I+2N, …; every client's seed and identity come from
/// (run seed, global client index), so N shards with the same seed schedule exactly what one run would.
public struct Shard: Sendable, Equatable, Codable {
    /// 0-based shard number, below `count`.
    public let index: Int
    /// How many shards the run has.
    public let count: Int

    /// The whole run in one process.
    public static let single = Shard(validIndex: 0, count: 1)

    private init(validIndex: Int, count: Int) {
        self.index = validIndex
        self.count = count
    }

    /// A shard; the error text is one line for the CLI.
    public init(index: Int, count: Int) throws(ShardError) {
        guard count >= 1 else { throw ShardError("the shard count must be 1 or more, not \(count)") }
        guard (0..<count).contains(index) else {
            throw ShardError("shard index \(index) is outside 0..<\(count)")
        }
        self.init(validIndex: index, count: count)
    }

    /// Parses `I/N` (`--shard 2/3`).
    public static func parse(_ text: String) throws(ShardError) -> Shard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw ShardError("--shard: expected I/N (0-based index / count), not '\(text)'")
        }
        return try Shard(index: i, count: n)
    }

    /// The shard from a scheduler's environment, or `nil` when none names one.
    ///
    /// Kubernetes Indexed Job: `JOB_COMPLETION_INDEX` with the count from `STAMPEDE_SHARDS`.
    /// Slurm job array: `SLURM_ARRAY_TASK_ID` (minus `SLURM_ARRAY_TASK_MIN`) of `SLURM_ARRAY_TASK_COUNT`,
    /// or of `STAMPEDE_SHARDS` when that is set.
    public static func fromEnvironment(_ env: [String: String]) throws(ShardError) -> Shard? {
        if let raw = env["JOB_COMPLETION_INDEX"] {
            guard let count = env["STAMPEDE_SHARDS"] else {
                throw ShardError("JOB_COMPLETION_INDEX is set but STAMPEDE_SHARDS (the shard count) is not")
            }
            return try Shard(index: number(raw, "JOB_COMPLETION_INDEX"), count: number(count, "STAMPEDE_SHARDS"))
        }
        guard let raw = env["SLURM_ARRAY_TASK_ID"] else { return nil }
        let minimum = try env["SLURM_ARRAY_TASK_MIN"].map { v throws(ShardError) in try number(v, "SLURM_ARRAY_TASK_MIN") } ?? 0
        guard let count = env["STAMPEDE_SHARDS"] ?? env["SLURM_ARRAY_TASK_COUNT"] else {
            throw ShardError("SLURM_ARRAY_TASK_ID is set but neither STAMPEDE_SHARDS nor SLURM_ARRAY_TASK_COUNT is")
        }
        let name = env["STAMPEDE_SHARDS"] == nil ? "SLURM_ARRAY_TASK_COUNT" : "STAMPEDE_SHARDS"
        return try Shard(index: number(raw, "SLURM_ARRAY_TASK_ID") - minimum, count: number(count, name))
    }

    private static func number(_ text: String, _ name: String) throws(ShardError) -> Int {
        guard let v = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw ShardError("\(name) must be a whole number, not '\(text)'")
        }
        return v
    }

    /// Whether this shard runs the client with this global index.
    public func owns(client globalIndex: Int) -> Bool {
        globalIndex % count == index
    }

    /// The global client indices this shard runs, of `total` clients in the whole run.
    public func clients(of total: Int) -> [Int] {
        Array(stride(from: index, to: max(total, 0), by: count))
    }

    /// This shard's part of a global whole number (concurrency): the remainder goes to the first shards,
    /// so the parts sum to `total` and none is 0 when `total ≥ count`; at least 1 otherwise.
    public func share(of total: Int) -> Int {
        let base = total / count + (index < total % count ? 1 : 0)
        return max(1, base)
    }

    /// This shard's part of a global rate (requests per second): an equal split.
    public func share(ofRate rate: Double) -> Double {
        rate / Double(count)
    }

    /// `I/N` as the `--shard` flag takes it (0-based index).
    public var description: String { "\(index)/\(count)" }
}

/// A bad shard specification: one line for `stampede: error: …`.
public struct ShardError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The one-line reason.
    public let description: String

    init(_ description: String) { self.description = description }
}
