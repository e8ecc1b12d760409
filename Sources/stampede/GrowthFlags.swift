import ArgumentParser
import Foundation
import Replayer
import StampedeCore

/// Corpus-growth flags of `replay` and `demo`: triage, the crash corpus, regressions.
struct GrowthFlags: ParsableArguments {
    @Option(help: "Most probes (fresh client + candidate) spent minimizing one finding.")
    var minimizeBudget = 200
    @Flag(help: "Report findings as seen: no confirmation, minimization or crash records.")
    var noTriage = false
    @Flag(help: "Do not write crash records (e.g. when replaying someone else's corpus).")
    var noSaveCrashes = false
    @Option(help: "Crash corpus directory (default: the corpus directory's crashes/).")
    var crashes: String?
    @Flag(help: "Do not replay the crash corpus before the load.")
    var noRegressions = false
    @Option(help: "Stop triage after this long: seconds, or 30s / 5m.")
    var triageTime = "120"

    func validate() throws {
        guard minimizeBudget >= 1 else { throw ValidationError("--minimize-budget must be at least 1") }
        guard LoadConfig.parseDuration(triageTime) != nil else { throw ValidationError("--triage-time: expected seconds, or 30s / 5m") }
    }

    /// Where crash records live: `--crashes`, else `crashes/` beside the corpus; `nil` when the
    /// corpus's directory does not exist.
    func crashDirectory(corpusPath: String) -> String? {
        if let crashes { return crashes }
        let directory = CorpusDirectory(corpusPath)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.root, isDirectory: &isDirectory), isDirectory.boolValue else {
            return nil
        }
        return directory.crashesPath
    }

    func triageOptions(corpusPath: String, concurrency: Int) -> TriageOptions {
        TriageOptions(
            enabled: !noTriage, budget: minimizeBudget, parallelism: max(1, min(4, concurrency)),
            crashDirectory: noSaveCrashes || noTriage ? nil : crashDirectory(corpusPath: corpusPath),
            timeLimitSeconds: LoadConfig.parseDuration(triageTime) ?? 120)
    }

    /// Replays the crash corpus before the load and prints one line per record.
    func replayRegressions(_ replay: Replay, corpusPath: String) async {
        guard !noRegressions, let directory = crashDirectory(corpusPath: corpusPath) else { return }
        let (records, problems) = CrashStore(directory: directory).load()
        for problem in problems { Console.note("warning: \(problem)") }
        guard !records.isEmpty else { return }
        Console.note("regressions: replaying \(records.count) crash record(s) from \(directory)")
        let results = await replay.replayRegressions(records.map { ($0.session, $0.file) })
        for r in results {
            Console.note("  [\(r.signature)] \(r.status == .stillFailing ? "still failing" : "fixed")  \(r.endpoint)  \(r.failureClass) \(r.failure) → \(r.observed)")
        }
    }
}
