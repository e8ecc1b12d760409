import ArgumentParser
import Foundation
import Replayer

/// `--shard` and `--run-id`: one process's part of a run split across machines.
struct ShardFlags: ParsableArguments {
    @Option(help: ArgumentHelp(
        "This process's shard of the run: I/N, 0-based (default: JOB_COMPLETION_INDEX with STAMPEDE_SHARDS, "
            + "or SLURM_ARRAY_TASK_ID of SLURM_ARRAY_TASK_COUNT). --clients, --concurrency and --rate stay global.",
        valueName: "I/N"))
    var shard: String?
    @Option(help: "Run id every shard shares (letters, digits, -; default: random, or from --seed when sharded).")
    var runId: String?

    /// The shard from the flag, else from the environment, else the whole run.
    func resolveShard(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Shard {
        do {
            if let shard { return try Shard.parse(shard) }
            return try Shard.fromEnvironment(environment) ?? .single
        } catch {
            throw CLIError.usage(error.description)
        }
    }

    /// The run id: `--run-id`, else one derived from the seed for a sharded run, else `random`.
    func resolveRunID(shard: Shard, seed: UInt64?, random: String) throws -> String {
        if let runId {
            let allowed = runId.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || $0 == "-" }
            guard (1...32).contains(runId.count), allowed else {
                throw CLIError.usage("--run-id: 1 to 32 ASCII letters, digits or '-', not '\(runId.prefix(40))'")
            }
            return runId.lowercased()
        }
        guard shard.count > 1 else { return random }
        guard let seed else {
            throw CLIError.usage("a sharded run (shard \(shard.description)) needs --seed (and --run-id) shared by every shard")
        }
        // Every shard computes the same id from the shared seed.
        return "s" + String(seed % 0xFF_FFFF, radix: 16)
    }

    /// The load settings and rate for this shard: clients stay global, concurrency and rate are split.
    static func split(concurrency: Int, rate: Double?, shard: Shard) -> (concurrency: Int, rate: Double?) {
        (shard.share(of: concurrency), rate.map { shard.share(ofRate: $0) })
    }
}
