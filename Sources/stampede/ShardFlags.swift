import ArgumentParser
import Foundation
import Replayer
import StampedeCore

/// `--shard` and `--run-id`: one process's part of a run split across machines.
struct ShardFlags: ParsableArguments {
    @Option(help: ArgumentHelp(
        "This process's shard of the run: I/N, 0-based (default: JOB_COMPLETION_INDEX with STAMPEDE_SHARDS, "
            + "or SLURM_ARRAY_TASK_ID of SLURM_ARRAY_TASK_COUNT). --clients, --concurrency and --rate stay global.",
        valueName: "I/N"))
    var shard: String?
    @Option(help: "Run id every shard shares (letters, digits, -; default: random, or from --seed when sharded).")
    var runId: String?
    @Option(help: "Start the load at this instant (RFC 3339 or epoch seconds; at most 10 minutes ahead) so shards start together.")
    var startAt: String?

    /// The `--start-at` instant, checked before anything else runs.
    func resolveStart(now: Date = Date()) throws -> Date? {
        guard let startAt else { return nil }
        guard let date = StartTime.parse(startAt) else {
            throw CLIError.usage("--start-at: expected RFC 3339 (2026-11-29T21:50:00Z) or epoch seconds, not '\(startAt.prefix(40))'")
        }
        if case .failure(let error) = StartTime.wait(until: date, now: now) { throw CLIError.usage(error.description) }
        return date
    }

    /// Sleeps until `start` (the run's synchronised start); returns at once when it has passed.
    static func wait(until start: Date) async {
        guard case .success(let seconds) = StartTime.wait(until: start, now: Date()), seconds > 0 else { return }
        Console.note("stampede replay: waiting \(Int(seconds.rounded())) s for --start-at \(ISO8601.string(from: start))")
        try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
    }

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
