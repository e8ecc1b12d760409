import ArgumentParser
import Foundation
import Mutator
import Replayer
import StampedeClient
import StampedeCore
import StampedeEngine

/// `stampede replay`: user and monkey clients against a target, then a JSON report.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a corpus as virtual users and monkeys against a target; write a JSON report.",
        discussion: """
            Settings resolve as flags > LOAD_* environment > defaults (the original suite's variables:
            LOAD_BASE_URL, LOAD_API_PREFIX, LOAD_VERIFY_TLS, LOAD_MODE, LOAD_CLIENTS, LOAD_CONCURRENCY,
            LOAD_DURATION, LOAD_AUTO_REGISTER, LOAD_USER_PREFIX, LOAD_USER_DOMAIN, LOAD_USER_PASSWORD, LOAD_OUTPUT).
            Exit status: 0 clean, 1 findings or user-flow failures (or the target is unreachable), 2 bad usage.
            With --threshold (or --config), the thresholds alone decide: 1 when any fails, 0 when all pass.
            """
    )

    @OptionGroup var flags: ReplayFlags

    @Option(help: "Corpus directory (or its baseline.corpus file).")
    var corpus = "corpora/demo"
    @OptionGroup var reading: CorpusReadFlags

    func run() async throws {
        let sessions = try ReplayFlags.loadSessions(corpus, maxRecordBytes: reading.maxRecord.bytes)
        let code = try await flags.execute(corpusPath: corpus, sessions: sessions, baseURLOverride: nil)
        if code != 0 { throw ExitCode(code) }
    }
}

/// The flags `replay` and `demo` share, and the run they drive.
struct ReplayFlags: ParsableArguments {
    @Option(help: "Target base URL (LOAD_BASE_URL).") var baseURL: String?
    @Option(help: "API prefix that replaces the recorded /api/v1 (LOAD_API_PREFIX).") var apiPrefix: String?
    @Option(help: "monkey, user or both (LOAD_MODE).") var mode: String?
    @Option(help: "Virtual clients, all alive for the whole run (LOAD_CLIENTS).") var clients: String?
    @Option(help: "Cap on requests in flight across all clients (LOAD_CONCURRENCY).") var concurrency: String?
    @Option(help: "Run length: seconds, or 30s / 5m / 1h (LOAD_DURATION).") var duration: String?
    @Option(help: "Report directory (LOAD_OUTPUT).") var output: String?
    @Option(help: "Seed for every random choice (default: random, printed and recorded).") var seed: UInt64?
    @Option(help: "Open model: request sends per second across all clients (default: closed model).") var rate: Double?
    @Option(help: "Share of clients that are monkeys in both mode.") var monkeyShare: Double = 0.5
    @Option(help: "Where monkeys may send: recorded (recorded endpoints), prefix (under the recording's common path prefix), any.")
    var monkeyScope = MonkeyScope.prefix.rawValue
    @Option(help: ArgumentHelp("Largest body a monkey's depth or width bomb builds: bytes, or KiB / MiB.", valueName: "size"))
    var maxBody = ByteCount(MutatorConfiguration.defaultMaximumBody)
    @Option(help: "Whole-request timeout: seconds, or 500ms / 10s (default 10 s; 3 s for demo).") var requestTimeout: String?
    @Option(help: "SSE read window (hard limit) for steps without their own: seconds.") var sseWindow = "8"
    @Option(help: "Count requests slower than this many ms in the slow class.") var slowMs: Int?
    @Option(help: "Engine worker threads (default: one per core).") var workers = 0
    @Option(help: "Verify TLS certificates: true or false (LOAD_VERIFY_TLS, default false).") var verifyTls: String?
    @Option(help: "CA bundle (PEM) to verify a private CA; implies --verify-tls true.") var cacert: String?
    @Flag(help: "Offer HTTP/2 (default HTTP/1.1).") var http2 = false
    @Flag(help: "Exit 0 even when findings, user-flow failures or failed thresholds occurred.") var noFail = false
    @Flag(help: "No live progress line.") var quiet = false
    @OptionGroup var growth: GrowthFlags
    @OptionGroup var secrets: SecretFlags
    @OptionGroup var reports: ReportOutputFlags
    @OptionGroup var sharding: ShardFlags
    @OptionGroup var spec: SpecFlags

    func validate() throws {
        guard (0...1).contains(monkeyShare) else { throw ValidationError("--monkey-share must be between 0 and 1") }
        guard MonkeyScope(rawValue: monkeyScope) != nil else { throw ValidationError("--monkey-scope must be recorded, prefix or any") }
        if let rate, !(rate > 0 && rate.isFinite) { throw ValidationError("--rate must be a positive number") }
        guard requestTimeout.map({ Self.milliseconds($0) != nil }) ?? true else { throw ValidationError("--request-timeout: expected seconds or a number with ms/s/m") }
        guard Self.milliseconds(sseWindow) != nil else { throw ValidationError("--sse-window: expected seconds") }
        if let slowMs, slowMs <= 0 { throw ValidationError("--slow-ms must be positive") }
        guard workers >= 0 else { throw ValidationError("--workers must be 0 or more") }
        if let cacert, !FileManager.default.isReadableFile(atPath: cacert) {
            throw ValidationError("--cacert: cannot read \(cacert)")
        }
    }

    /// `10`, `10s`, `500ms`, `2m` → milliseconds.
    static func milliseconds(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t.hasSuffix("ms"), let v = Double(t.dropLast(2)), v > 0 { return Int(v) }
        guard let seconds = LoadConfig.parseDuration(t) else { return nil }
        return Int(seconds * 1000)
    }

    /// Loads a corpus's baseline sessions (a corpus file or directory).
    static func loadSessions(_ path: String, maxRecordBytes: Int = CorpusReader.defaultMaxRecordBytes) throws -> [Session] {
        let corpus = try CorpusLoading.load(path, maxRecordBytes: maxRecordBytes)
        guard corpus.sessions.contains(where: { !$0.steps.isEmpty }) else {
            throw CLIError.failure("the corpus \(corpus.path) has no steps to replay")
        }
        return corpus.sessions
    }

    /// Resolves the settings (flags > LOAD_* > defaults); `overrides` fill flags the user left out.
    func resolve(defaults overrides: [LoadSetting: String] = [:]) throws -> LoadConfig {
        var given: [LoadSetting: String] = overrides
        let pairs: [(LoadSetting, String?)] = [
            (.baseURL, baseURL), (.apiPrefix, apiPrefix), (.mode, mode), (.clients, clients),
            (.concurrency, concurrency), (.duration, duration), (.output, output),
            (.verifyTLS, verifyTls ?? (cacert == nil ? nil : "true")),
        ]
        for (setting, value) in pairs { if let value { given[setting] = value } }
        return try LoadConfig.resolve(flags: given, environment: ProcessInfo.processInfo.environment)
    }

    /// Runs a replay with live progress; writes the report; returns the exit status.
    func execute(
        corpusPath: String, sessions: [Session], baseURLOverride: String?,
        overrides: [LoadSetting: String] = [:], defaultRequestTimeoutMs: Int = 10_000
    ) async throws -> Int32 {
        var defaults = overrides
        if let baseURLOverride { defaults[.baseURL] = baseURLOverride }
        var options = try makeOptions(
            load: try resolve(defaults: defaults), corpusPath: corpusPath, defaultRequestTimeoutMs: defaultRequestTimeoutMs)
        let load = options.load
        options.spec = try await spec.specRun(
            baseURL: load.baseURL, apiPrefix: load.apiPrefix, sessions: sessions, verifyTLS: load.verifyTLS)
        let startAt = try sharding.resolveStart()
        let replay: Replay
        do {
            replay = try Replay(options: options, sessions: sessions)
        } catch {
            throw CLIError.failure("cannot start the HTTP engine: \(error)")
        }
        if let failure = await replay.probe() {
            throw CLIError.failure("cannot reach \(load.baseURL): \(failure.name) (\(failure.message))")
        }
        if startAt != nil, let warning = replay.targetClockSkew?.warning { Console.note(warning) }
        let split = options.clientSplit
        let shard = options.shard
        Console.note(
            "stampede replay: \(load.mode.rawValue) mode, \(split.user) user + \(split.monkey) monkey clients, concurrency \(load.concurrency), "
                + "\(ReportSummary.format(load.duration)) s against \(load.baseURL); seed \(options.seed) (rerun with --seed \(options.seed)), run \(options.runID)"
                + (shard.count > 1 ? "; shard \(shard.description): \(shard.clients(of: load.clients).count) clients" : ""))

        let signals = Signals.trapInterrupts { replay.stop() }
        await growth.replayRegressions(replay, corpusPath: corpusPath)
        if let startAt { await ShardFlags.wait(until: startAt) }
        var report = await runShowingProgress(replay)
        for source in signals { source.cancel() }
        try reports.evaluate(&report)

        let path: String
        do {
            path = try ReportWriter.write(report, to: load.output, startedAt: replay.startedAt)
        } catch {
            throw CLIError.failure("cannot write the report to \(load.output): \(error)")
        }
        print(ReportSummary.render(report))
        print("report: \(path)")
        if let warning = report.latency?.behindScheduleWarning { Console.note("warning: " + warning) }
        try reports.writeFiles(report)
        return ReportOutputFlags.verdict(report, noFail: noFail)
    }

    /// The run's options from the resolved settings and the flags: seed, run id, this shard's share.
    private func makeOptions(load resolved: LoadConfig, corpusPath: String, defaultRequestTimeoutMs: Int) throws -> ReplayOptions {
        var load = resolved
        var generator = SystemRandomNumberGenerator()
        // Seeds stay below 2^53 so every JSON reader keeps them exact.
        let runSeed = seed ?? (generator.next() & 0x1F_FFFF_FFFF_FFFF)
        let randomID = String(generator.next() & 0xFF_FFFF, radix: 16)
        let shard = try sharding.resolveShard()
        let runID = try sharding.resolveRunID(
            shard: shard, seed: seed, random: String(repeating: "0", count: max(0, 6 - randomID.count)) + randomID)
        let (shardConcurrency, shardRate) = ShardFlags.split(concurrency: load.concurrency, rate: rate, shard: shard)
        load.concurrency = shardConcurrency
        var options = ReplayOptions(
            load: load, corpusPath: corpusPath, seed: runSeed, runID: runID, rate: shardRate,
            monkeyShare: monkeyShare, requestTimeoutMs: requestTimeout.flatMap(Self.milliseconds) ?? defaultRequestTimeoutMs,
            sseWindowSeconds: Double(Self.milliseconds(sseWindow) ?? 8_000) / 1000, slowMs: slowMs, workers: workers,
            caCertPath: cacert, http2: http2,
            triage: growth.triageOptions(corpusPath: corpusPath, concurrency: load.concurrency), secrets: try secrets.load())
        options.monkeyScope = MonkeyScope(rawValue: monkeyScope) ?? .prefix
        options.monkeyMaxBody = maxBody.bytes
        options.shard = shard
        return options
    }

    /// Runs the replay; the progress line is redrawn in place on a terminal, one line a second otherwise.
    private func runShowingProgress(_ replay: Replay) async -> ReplayReport {
        let terminal = isatty(STDERR_FILENO) == 1
        let quiet = self.quiet
        let report = await replay.run(progress: { progress in
            guard !quiet else { return }
            let line = ReportSummary.progressLine(progress)
            if terminal {
                FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
            } else {
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
        }, note: { line in
            if terminal && !quiet { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
            Console.note(line)
        })
        if terminal && !quiet { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        return report
    }
}
