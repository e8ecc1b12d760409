import APISpec
import ArgumentParser
import Foundation
import Mutator
import StampedeCore
import StampedeHTTP

/// `stampede mutate --corpus FILE --count N --seed S [--format jsonl|curl] [--base-url URL]`.
struct MutateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mutate",
        abstract: "Print reproducible mutants of a corpus's requests."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case jsonl, curl
    }

    @Option(help: "Corpus file, or a corpus directory (its baseline.corpus).") var corpus: String?
    @Option(help: "Number of mutants to print.") var count: Int = 10
    @Option(help: "Seed; the same corpus and seed print the same mutants.") var seed: UInt64 = 1
    @Option(help: "Output format: jsonl (one mutant per line) or curl (commands).") var format: Format = .jsonl
    @Option(help: "Base URL for curl commands (default: the corpus's recorded base URL).") var baseURL: String?
    @Option(help: "Most operations stacked on one mutant.") var maxStack: Int = 4
    @OptionGroup var spec: SpecFlags
    @Option(help: ArgumentHelp("Largest body a depth or width bomb builds: bytes, or KiB / MiB.", valueName: "size"))
    var maxBody = ByteCount(MutatorConfiguration.defaultMaximumBody)
    @Option(help: ArgumentHelp("Measure mutants per second for this many seconds instead of printing.", visibility: .hidden))
    var bench: Double?
    @OptionGroup var reading: CorpusReadFlags

    /// Most sessions a run derives from: a larger corpus is streamed and sampled (seeded), so
    /// memory does not grow with its size.
    static let sessionSample = 4_096

    func validate() throws {
        guard count >= 0 else { throw ValidationError("--count must be ≥ 0") }
        guard maxStack >= 1 else { throw ValidationError("--max-stack must be ≥ 1") }
        guard corpus != nil else { throw ValidationError("--corpus is required") }
    }

    func run() async throws {
        let (loaded, corpusIndices, recordedBaseURL) = try loadSessions()
        var sessions = loaded
        guard sessions.contains(where: { !$0.steps.isEmpty }) else { throw CLIError.failure("the corpus holds no steps") }
        // With --openapi the spec's operations are parents too (weight-0 `spec:` sessions, as in replay).
        if let loaded = try await spec.loadSpec(baseURL: baseURL ?? recordedBaseURL ?? "", sessions: sessions, verifyTLS: false) {
            sessions += SpecBinding(spec: loaded, sessions: sessions).sessions
        }
        let mutator = Mutator(sessions: sessions, configuration: MutatorConfiguration(maximumStack: maxStack, maximumBodyBytes: maxBody.bytes))
        if let bench {
            runBenchmark(mutator, seconds: bench)
            return
        }
        let base = baseURL ?? recordedBaseURL ?? "http://127.0.0.1:8080"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var seeds = SeededGenerator(seed: seed)
        for _ in 0..<count {
            let mutant = mutator.nextMutant(seed: seeds.next())
            let session = sessions[mutant.parentSession]
            switch format {
            case .jsonl:
                let line = MutantLine(
                    parentSession: session.id, parentSessionIndex: corpusIndices.indices.contains(mutant.parentSession) ? corpusIndices[mutant.parentSession] : nil, parentStep: mutant.parentStep,
                    seed: mutant.seed, operations: mutant.operations, request: mutant.request, dropCookies: mutant.dropCookies)
                print(String(decoding: try encoder.encode(line), as: UTF8.self))
            case .curl:
                let comment = "# \(session.id) step \(mutant.parentStep + 1) seed \(mutant.seed): "
                    + mutant.operations.map(\.description).joined(separator: ", ") + (mutant.dropCookies ? " [no cookies]" : "")
                print(ReportText.abbreviated(comment, limit: ReportText.maxColumns))
                let curl = CurlCommand.render(
                    method: mutant.request.method, url: base + mutant.request.pathAndQuery,
                    headers: mutant.request.headers, body: mutant.request.body?.rawBytes ?? [], template: mutant.request)
                // Whole when it fits a line; else abbreviated (`--format jsonl` has the full request).
                print(ReportText.abbreviated(curl, limit: ReportText.maxColumns))
            }
        }
    }

    /// The sessions mutants derive from (all, or a seeded sample of ``sessionSample`` from a
    /// larger corpus), their 0-based indices in the corpus, and its recorded base URL.
    func loadSessions() throws -> ([Session], [Int], String?) {
        guard let corpus else { throw CLIError.usage("--corpus is required") }
        let file = try CorpusLoading.baselineFile(corpus)
        var reservoir = SessionReservoir(capacity: Self.sessionSample, seed: seed)
        // Only the sessions the sample admits are decoded: 5 mutants of a million sessions cost an inflate (#14).
        let scan = try reservoir.sample(reading.reader(file))
        // Mutants of a damaged corpus would silently miss sessions: one error line, exit 1 (#14).
        if let problem = CorpusLoading.damageSummary(file, scan.damages, count: scan.damageCount) {
            throw CLIError.failure(problem)
        }
        let sample = reservoir.sample
        return (sample.map(\.session), sample.map(\.index), scan.header?.baseURL)
    }

    func runBenchmark(_ mutator: Mutator, seconds: Double) {
        let clock = ContinuousClock()
        let parents = mutator.sessions.enumerated().flatMap { s, session in session.steps.indices.map { (s, $0) } }
        for mode in ["mutant(session:step:seed:)", "nextMutant(seed:) + feedback"] {
            let droppedBefore = mutator.outOfScopeCount
            let cpuStart = MutateCommand.threadCPUSeconds()
            let start = clock.now
            let deadline = start + .milliseconds(Int(seconds * 1000))
            var produced = 0
            var bytes = 0
            var seed = seed
            while true {
                for _ in 0..<256 {
                    seed &+= 1
                    let mutant: Mutant
                    if mode.hasPrefix("mutant") {
                        let (s, t) = parents[Int(seed % UInt64(parents.count))]
                        mutant = mutator.mutant(session: s, step: t, seed: seed)
                    } else {
                        mutant = mutator.nextMutant(seed: seed)
                        mutator.feedback(mutant, outcome: MutationOutcome(endpoint: "bench", status: 400, shape: seed & 0xFF))
                    }
                    bytes += mutant.request.body?.text?.utf8.count ?? 0
                    produced += 1
                }
                if clock.now >= deadline { break }
            }
            let elapsed = clock.now - start
            let cpu = MutateCommand.threadCPUSeconds() - cpuStart
            let secondsTaken = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            print("\(mode): \(produced) mutants in \(String(format: "%.2f", secondsTaken)) s wall = \(Int(Double(produced) / secondsTaken)) mutants/s; "
                + "\(String(format: "%.2f", cpu)) s CPU on one thread = \(Int(Double(produced) / max(cpu, 1e-9))) mutants per CPU-second (avg body \(bytes / max(produced, 1)) bytes, "
                + "\(mutator.outOfScopeCount - droppedBefore) path operations or mutants replaced after leaving the scope)")
        }
    }
}

extension MutateCommand {
    /// CPU time of the calling thread, so the benchmark is not skewed by other load on the machine.
    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}

/// One mutant as a JSON line.
struct MutantLine: Encodable {
    var parentSession: String
    /// The session's 0-based index in the corpus; nil for a spec operation's `spec:` session.
    var parentSessionIndex: Int?
    var parentStep: Int
    var seed: UInt64
    var operations: [MutationOperation]
    var request: RequestTemplate
    var dropCookies: Bool

    enum CodingKeys: String, CodingKey {
        case seed, operations, request
        case parentSession = "parent_session"
        case parentSessionIndex = "parent_session_index"
        case parentStep = "parent_step"
        case dropCookies = "drop_cookies"
    }
}
