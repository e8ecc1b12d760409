import ArgumentParser
import Foundation
import Replayer
import StampedeCore

/// `stampede corpus minimize DIR`: drop redundant crash records (afl-cmin-like).
struct CorpusMinimize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "minimize",
        abstract: "Drop redundant crash records: one per signature and per endpoint + failure, the smallest kept.",
        discussion: """
            Reads every crashes/*.corpus of the corpus directory (or the crashes directory itself), keeps one \
            record per signature and, among records of the same endpoint and failure, the one with the smallest \
            failing request (hits added up), rewrites it atomically and deletes the rest.
            """
    )

    @Argument(help: "Corpus directory (or its crashes/ directory).") var path: String

    func run() async throws {
        let directory = CorpusGrowth.crashDirectory(path)
        guard FileManager.default.fileExists(atPath: directory) else { throw CLIError.usage("\(path): no crashes directory") }
        let store = CrashStore(directory: directory)
        let problems = store.load().problems
        for problem in problems { Console.note("warning: \(problem)") }
        let summary: CrashStore.MinimizeSummary
        do { summary = try store.minimize() } catch { throw CLIError.failure("\(error)") }
        print("\(directory): \(summary.records) crash record(s) → \(summary.kept) kept, \(summary.removedFiles) file(s) removed")
    }
}

/// `stampede corpus merge SRC... --into DIR`: combine corpora without duplicates.
struct CorpusMerge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine corpora from several runs or machines into one directory without duplicates.",
        discussion: """
            Crash records are folded in by signature (hits added, earliest first_seen, latest last_seen, the \
            smaller failing request kept); baseline sessions are added unless one with the same content is there.
            """
    )

    @Argument(help: "Corpus directories, crashes directories or corpus files.") var sources: [String]
    @Option(help: "Destination corpus directory.") var into: String

    func run() async throws {
        guard !sources.isEmpty else { throw CLIError.usage("give at least one source") }
        for source in sources where !FileManager.default.fileExists(atPath: source) {
            throw CLIError.usage("\(source): no such corpus file or directory")
        }
        let summary: CorpusMerger.Summary
        do { summary = try CorpusMerger.merge(sources: sources, into: into) } catch { throw CLIError.failure("\(error)") }
        for problem in summary.problems { Console.note("warning: \(problem)") }
        print(
            "\(into): crash records \(summary.crashesCreated) added, \(summary.crashesUpdated) merged into existing; "
                + "baseline sessions \(summary.sessionsAdded) added, \(summary.sessionsSkipped) duplicate(s) skipped")
        if !summary.problems.isEmpty { throw ExitCode(1) }
    }
}

enum CorpusGrowth {
    /// A corpus directory's `crashes/`, or the path itself when it is one (no baseline, no `crashes/`).
    static func crashDirectory(_ path: String) -> String {
        let dir = CorpusDirectory(path)
        if FileManager.default.fileExists(atPath: dir.crashesPath) { return dir.crashesPath }
        if FileManager.default.fileExists(atPath: dir.baselinePath) { return dir.crashesPath }
        return path
    }
}
