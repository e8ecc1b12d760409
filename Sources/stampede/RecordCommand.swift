import APISpec
import ArgumentParser
import Dispatch
import Foundation
import Correlation
import Recorder
import StampedeClient
import StampedeCore
import StampedeEngine

/// `stampede record`: record sessions through the proxy, from a HAR file, or from a built-in flow.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record sessions into a corpus: through a proxy, from a HAR file, or from a built-in flow.",
        discussion: """
            Proxy:     stampede record --base-url http://127.0.0.1:8000 --listen 127.0.0.1:8089 --out corpora/myapp/baseline.corpus
                       (point a browser, curl or a test suite at the listen address; Ctrl-C writes open sessions and stops)
            HAR:       stampede record --from-har session.har --base-url http://127.0.0.1:8000 --out corpora/myapp/baseline.corpus
            Built-in:  stampede record --flow demo --base-url http://127.0.0.1:8000 --out corpora/demo/baseline.corpus
            Spec:      stampede record --from-openapi openapi.json --base-url http://127.0.0.1:8000 --out corpora/spec/baseline.corpus
                       [--identity-from corpora/demo] (one session per operation; login steps from the corpus)
            Sessions are appended to --out (use --replace to start a new file). At the end each new session is
            replayed once as a fresh client and the steps that do not replay as recorded are listed (--no-verify skips it).
            """
    )

    @Option(name: .customLong("base-url"), help: "The target's base URL (required for the proxy and --flow; filters --from-har).")
    var baseURL: String?

    @Option(help: "Proxy listen address HOST:PORT (port 0 picks a free one).")
    var listen = "127.0.0.1:8089"

    @Option(help: "Corpus file to append sessions to.")
    var out: String

    @Option(name: .customLong("from-har"), help: "Import a HAR 1.2 file instead of running the proxy.")
    var fromHAR: String?

    @Option(help: "Record a built-in flow instead of running the proxy (only: demo).")
    var flow: String?

    @Option(name: .customLong("from-openapi"), help: "Write one session per operation of this OpenAPI/Swagger file or URL instead of recording.")
    var fromOpenAPI: String?

    @Option(name: .customLong("identity-from"), help: "With --from-openapi: a corpus whose sign-up and login steps start every session.")
    var identityFrom: String?

    @Option(name: .customLong("session-cookie"), help: "The target's session cookie, which identifies a client.")
    var sessionCookie = "access_token"

    @Option(name: .customLong("idle-gap"), help: "Seconds without a request after which a session is finished and written.")
    var idleGap: Double = 30

    @Flag(name: .customLong("group-by-host"), help: "Group requests without a session cookie by client address, not connection (for curl scripts).")
    var groupByHost = false

    @Flag(name: .customLong("keep-secrets"), help: "Keep Authorization values, passwords and tokens in clear.")
    var keepSecrets = false

    @Option(name: .customLong("redact"), help: "Also redact fields and headers with this name (repeatable; `*` wildcard, any case).")
    var redactFields: [String] = []

    @Option(name: .customLong("keep"), help: "Keep fields and headers with this name in clear though the built-in list redacts them (repeatable).")
    var keepFields: [String] = []

    @Option(name: .customLong("max-connections"), help: "Proxy: client connections open at once (more wait until one closes).")
    var maxConnections = 1024

    @Option(name: .customLong("idle-timeout"), help: "Proxy: seconds a client connection may stay silent (mid-request or between requests) before it is closed.")
    var idleTimeout: Double = 60
    @Option(name: .customLong("body-timeout"), help: "Proxy: seconds a request body may take to arrive, however steadily it trickles (then 408 and close).")
    var bodyTimeout: Double = 120

    @Flag(name: .customLong("no-verify"), help: "Do not replay the recorded sessions at the end.")
    var noVerify = false

    @Flag(help: "Start a new corpus file instead of appending to --out.")
    var replace = false

    @OptionGroup var secrets: SecretFlags

    @Option(help: "Corpus name stored in its header (default: the directory name of --out).")
    var name: String?

    func validate() throws {
        _ = try secrets.load()
        let modes = [fromHAR != nil, flow != nil, fromOpenAPI != nil].filter { $0 }.count
        guard modes <= 1 else { throw ValidationError("--from-har, --flow and --from-openapi exclude each other") }
        if identityFrom != nil, fromOpenAPI == nil { throw ValidationError("--identity-from needs --from-openapi") }
        if fromHAR == nil, baseURL == nil { throw ValidationError("--base-url is required (the target to forward or drive)") }
        if let flow, flow != "demo" { throw ValidationError("unknown --flow '\(flow)' (available: demo)") }
        guard idleGap > 0 else { throw ValidationError("--idle-gap must be positive") }
        guard maxConnections > 0 else { throw ValidationError("--max-connections must be positive") }
        guard idleTimeout > 0 else { throw ValidationError("--idle-timeout must be positive") }
        guard bodyTimeout > 0 else { throw ValidationError("--body-timeout must be positive") }
        for field in redactFields + keepFields where SecretFields.snakeForm(field).isEmpty {
            throw ValidationError("--redact and --keep need a field name, got '\(field)'")
        }
        if fromHAR == nil, flow == nil, Self.parseListen(listen) == nil { throw ValidationError("--listen must be HOST:PORT") }
    }

    var options: RecordingOptions {
        RecordingOptions(
            sessionCookie: sessionCookie, idleGap: .milliseconds(Int64(idleGap * 1000)), keepSecrets: keepSecrets,
            secretFields: SecretFields(redact: redactFields, keep: keepFields), groupAnonymousByHost: groupByHost)
    }

    var header: CorpusHeader {
        CorpusHeader(baseURL: baseURL, name: name ?? ((out as NSString).deletingLastPathComponent as NSString).lastPathComponent)
    }

    func run() async throws {
        if replace { unlink(out) }
        let engine: HTTPEngine
        do {
            engine = try HTTPEngine(configuration: EngineConfiguration(workers: 2, verifyTLS: false, bodyPrefixLimit: options.bodyPrefixLimit))
        } catch {
            throw CLIError.failure("cannot start the HTTP engine: \(error)")
        }
        defer { engine.shutdown() }
        let sessions: [Session]
        var target = baseURL
        if let fromHAR {
            (sessions, target) = try importHAR(fromHAR)
        } else if let fromOpenAPI {
            sessions = try await writeFromSpec(fromOpenAPI)
        } else if flow != nil, let baseURL {
            sessions = try await recordDemo(baseURL: baseURL, engine: engine)
        } else if let baseURL {
            sessions = try await runProxy(target: baseURL, engine: engine)
        } else {
            throw CLIError.usage("--base-url is required")
        }
        say("\(out): \(sessions.count) session\(sessions.count == 1 ? "" : "s") written, \(sessions.reduce(0) { $0 + $1.steps.count }) steps")
        guard !noVerify, !sessions.isEmpty else { return }
        guard let target else {
            say("verification skipped: no --base-url to replay against")
            return
        }
        try await verify(sessions, baseURL: target, engine: engine)
    }

    private func importHAR(_ path: String) throws -> ([Session], String) {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError.usage("\(path): cannot read") }
        let (base, exchanges) = try HARImporter.exchanges(fromHAR: Array(data), baseURL: baseURL, connection: "har:" + path)
        var header = self.header
        header.baseURL = base
        let recorder = try CorpusRecorder(path: out, header: header, options: options)
        say("\(path): \(exchanges.count) API requests under \(base)")
        return (try recorder.importExchanges(exchanges), base)
    }

    /// `--from-openapi`: one session per operation, identity steps from `--identity-from`.
    private func writeFromSpec(_ source: String) async throws -> [Session] {
        let flags = try SpecFlags.parse(["--openapi", source])
        guard let spec = try await flags.loadSpec(baseURL: baseURL ?? "", sessions: [], verifyTLS: false) else { return [] }
        var identity: [Step] = []
        if let identityFrom {
            let corpus = try CorpusLoading.load(identityFrom)
            identity = SpecCorpus.identitySteps(of: corpus.sessions)
            if identity.isEmpty { say("\(identityFrom): no login step found; sessions start logged out") }
        }
        let sessions = SpecCorpus.sessions(spec: spec, identity: identity)
        let writer = try CorpusWriter(appendingTo: out, header: header)
        try writer.append(sessions)
        say("\(source): \(spec.operations.count) operations")
        return sessions
    }

    private func recordDemo(baseURL: String, engine: HTTPEngine) async throws -> [Session] {
        let sessions: [Session]
        do {
            sessions = try await DemoFlow.record(baseURL: baseURL, engine: engine, options: options)
        } catch let error as DemoFlow.FlowError {
            throw CLIError.failure("\(error) (is a demo target running at \(baseURL)? try `stampede serve-demo --no-defects`)")
        }
        let writer = try CorpusWriter(appendingTo: out, header: header)
        try writer.append(sessions)
        for session in sessions { say("  session \(session.id) \"\(session.name ?? "")\": \(session.steps.count) steps, \(session.variables.count) variables") }
        return sessions
    }

    private func runProxy(target: String, engine: HTTPEngine) async throws -> [Session] {
        guard let (host, port) = Self.parseListen(listen) else { throw CLIError.usage("--listen must be HOST:PORT") }
        let recorder = try CorpusRecorder(path: out, header: header, options: options)
        let proxyOptions = RecordingProxy.Options(
            host: host, port: port, maxConnections: maxConnections, idleTimeout: .milliseconds(Int64(idleTimeout * 1000)),
            bodyTimeout: .milliseconds(Int64(bodyTimeout * 1000)),
            onSessionsWritten: { sessions in
                for session in sessions { Self.say("session \(session.id) written: \(session.steps.count) steps") }
            },
            onError: { error in Console.error("writing \(recorder.path): \(error)") })
        let proxy: RecordingProxy
        do {
            proxy = try await RecordingProxy.start(target: target, recorder: recorder, engine: engine, options: proxyOptions)
        } catch {
            throw CLIError.failure("cannot listen on \(listen): \(error)")
        }
        say("recording proxy listening on \(proxy.baseURL) → \(target); writing \(out); Ctrl-C to stop")
        await Signals.waitForInterrupt()
        // Write first, then stop: nothing recorded is lost even if stopping hangs.
        let flushed = try recorder.flushAll()
        say("stopping: \(flushed.count) open session\(flushed.count == 1 ? "" : "s") written")
        await proxy.stop()
        return recorder.written
    }

    /// Replays each new session once as a fresh client through the client core, with the
    /// configured password (`LOAD_USER_PASSWORD`) and secrets; lists the steps that differ.
    private func verify(_ sessions: [Session], baseURL: String, engine: HTTPEngine) async throws {
        say("verifying: each session replayed once as a fresh client against \(baseURL)")
        let secrets = try self.secrets.load()
        let load = try? LoadConfig.resolve(flags: [:], environment: ProcessInfo.processInfo.environment)
        let client = StepClient(
            engine: engine, renderer: StepRenderer(baseURL: baseURL, secrets: secrets, requestTimeoutMs: 30_000),
            sources: VariableSources(sessions: sessions))
        let run = ClientIdentity.randomRunID()
        var good = 0, total = 0
        for (index, session) in sessions.enumerated() {
            let identity = ClientIdentity(
                index: index + 1, runID: run, prefix: load?.userPrefix ?? "loaduser", domain: load?.userDomain ?? "example.com",
                password: load?.userPassword ?? "testpass123!")
            var state = ClientState(identity: identity)
            let outcome = await client.run(session, state: &state)
            let matched = outcome.steps.filter(\.matched).count
            good += matched
            total += outcome.steps.count
            say("  \(outcome.allMatched ? "ok  " : "FAIL") session \(session.id)" + (session.name.map { " \"\($0)\"" } ?? "") + ": \(matched)/\(outcome.steps.count) steps replay with the recorded status class")
            for step in outcome.steps where !step.matched {
                let hint = CredentialHint.explain(session.steps[step.index], status: step.response.status, secrets: secrets)
                say("        step \(step.number) \(step.endpoint): \(step.explanation)" + (hint.map { ": " + $0 } ?? ""))
            }
        }
        say("verified: \(good)/\(total) steps replay as recorded")
    }

    static func parseListen(_ text: String) -> (String, Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        let host = String(text[..<colon])
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }

    /// Standard output, unbuffered (a parent process waits for the "listening" line).
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    private func say(_ line: String) { Self.say(line) }
}
