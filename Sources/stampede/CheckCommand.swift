import APISpec
import ArgumentParser
import Foundation
import PropertyCheck
import StampedeClient
import StampedeCore
import StampedeEngine

/// `stampede check`: the original suite's Hypothesis tests as a command — random valid variants of
/// a recorded body must satisfy a property; a failure is shrunk to a minimal counterexample.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Property-check an endpoint with random valid variants of its recorded body.",
        discussion: """
            Draws --runs valid variants of the endpoint's recorded JSON body (or of --schema / \
            --strategy), sends each with the session the recording set up before the step (register, \
            log in, CSRF), and checks --property on every response. On the first failure it shrinks \
            the input to a minimal counterexample that fails the same way and prints it with the seed \
            to reproduce and a curl command. Exit status: 0 the property held, 1 it failed, 2 usage.
            """
    )

    enum Strategy: String, ExpressibleByArgument, CaseIterable {
        case register
        case grafanaWebhook = "grafana-webhook"
    }

    @Option(help: "Target base URL (default: LOAD_BASE_URL, then the corpus's recorded base URL).")
    var baseURL: String?
    @Option(help: "Corpus file or directory (its baseline.corpus) holding the endpoint's recorded step.")
    var corpus: String?
    @OptionGroup var reading: CorpusReadFlags
    @Option(help: "The endpoint template to check, e.g. 'POST /api/v1/auth/register'.")
    var endpoint: String
    @Option(help: "Number of random valid inputs to try.")
    var runs = 200
    @Option(help: "Seed (default: random, printed); the same seed replays the same inputs.")
    var seed: UInt64?
    @Option(help: "The property every response must satisfy.")
    var property: CheckProperty = .no5xx
    @Option(help: "JSON Schema file describing the valid bodies (instead of inferring one from the recording).")
    var schema: String?
    @Option(help: "A built-in strategy of the original suite instead of a schema: register, grafana-webhook.")
    var strategy: Strategy?
    @Option(help: "Most requests spent shrinking a failure.")
    var shrinkBudget = 2_000
    @Option(help: "Per-request timeout in milliseconds.")
    var requestTimeout = 10_000
    @Flag(help: "Print the result as one JSON object instead of text.")
    var json = false
    @OptionGroup var secrets: SecretFlags
    @OptionGroup var spec: SpecFlags

    func validate() throws {
        guard runs >= 1 else { throw CLIError.usage("--runs must be ≥ 1") }
        guard shrinkBudget >= 0 else { throw CLIError.usage("--shrink-budget must be ≥ 0") }
        guard requestTimeout >= 1 else { throw CLIError.usage("--request-timeout must be ≥ 1") }
        guard schema == nil || strategy == nil else { throw CLIError.usage("give --schema or --strategy, not both") }
        guard corpus != nil || schema != nil || strategy != nil else {
            throw CLIError.usage("give --corpus (the recorded step) or --schema/--strategy (the valid bodies)")
        }
        _ = try CheckTarget.parseEndpoint(endpoint)
    }

    func run() async throws {
        var recordedBaseURL: String?
        var target: CheckTarget
        var sessions: [Session] = []
        if let corpus {
            let loaded = try CorpusLoading.load(corpus, maxRecordBytes: reading.maxRecord.bytes)
            sessions = loaded.sessions
            recordedBaseURL = loaded.header?.baseURL
            target = try CheckTarget.find(endpoint, in: loaded.sessions)
        } else {
            target = try CheckTarget.bare(endpoint)
        }
        let environment = ProcessInfo.processInfo.environment
        guard let base = baseURL ?? environment["LOAD_BASE_URL"] ?? recordedBaseURL else {
            throw CLIError.usage("--base-url is required (no LOAD_BASE_URL and no recorded base URL)")
        }
        // With --openapi the valid bodies are the spec's request schema for the endpoint.
        let specSchema = try await spec.loadSpec(baseURL: base, sessions: sessions, verifyTLS: false).flatMap { loaded in
            let (method, path) = try CheckTarget.parseEndpoint(endpoint)
            return try Self.bodySchema(loaded, method: method, path: path)
        }
        let bodySchema = try specSchema ?? resolveSchema(target)
        let verifyTLS = ["1", "true", "yes"].contains((environment["LOAD_VERIFY_TLS"] ?? "").lowercased())
        let seed = self.seed ?? UInt64.random(in: 1...UInt64(UInt32.max))

        let engine = try HTTPEngine(configuration: EngineConfiguration(workers: 1, verifyTLS: verifyTLS, allowedOrigin: base))
        defer { engine.shutdown() }
        let load = try? LoadConfig.resolve(flags: [:], environment: environment)
        let renderer = StepRenderer(baseURL: base, secrets: try secrets.load(), requestTimeoutMs: requestTimeout)
        let runner = StepClient(engine: engine, renderer: renderer, sources: VariableSources(sessions: sessions))
        let identity = ClientIdentity(
            index: 1, runID: ClientIdentity.randomRunID(), prefix: load?.userPrefix ?? "loaduser",
            domain: load?.userDomain ?? "example.com", password: load?.userPassword ?? "testpass123!")
        let client = CheckClient(runner: runner, target: target, property: property, identity: identity)
        try await client.prepareSession()

        let check = PropertyCheck(schema: bodySchema, runs: runs, seed: seed, shrinkBudget: shrinkBudget)
        let result = await check.run { body in await client.evaluate(body) }
        var curl: String?
        if let counterexample = result.counterexample { curl = await client.curl(for: counterexample.minimal) }
        let report = CheckReport(
            endpoint: CheckTarget.normalizedEndpoint(endpoint), property: property, seed: seed, runs: runs, result: result,
            statuses: await client.statuses, reproduce: reproduceCommand(base: base, seed: seed, runs: result.runs), curl: curl)
        print(json ? report.json() : report.text())
        if !result.passed { throw ExitCode(1) }
    }

    /// The spec's JSON request-body schema of an endpoint, as a property-check schema.
    static func bodySchema(_ spec: APISpecification, method: String, path: String) throws -> PropertySchema? {
        guard let op = spec.operation(method: method, path: path) ?? spec.operations.first(where: { $0.endpoint == method + " " + path }),
            let schema = op.body?.schema, let data = try? JSONEncoder().encode(schema)
        else { throw CLIError.usage("--openapi: no JSON request body for \(method) \(path) in the spec") }
        do {
            return try PropertySchema(jsonSchema: JSONParser().parse(Array(data)))
        } catch {
            throw CLIError.usage("--openapi: the body schema of \(method) \(path) is not usable: \(error)")
        }
    }

    /// `--schema`, else `--strategy`, else inferred from the recorded body.
    func resolveSchema(_ target: CheckTarget) throws -> PropertySchema {
        if let schema {
            guard let data = FileManager.default.contents(atPath: schema) else {
                throw CLIError.usage("\(schema): cannot read the schema file")
            }
            do {
                return try PropertySchema(jsonSchema: JSONParser().parse(Array(data)))
            } catch let error as PropertySchemaError {
                throw CLIError.usage("\(schema): \(error)")
            } catch {
                throw CLIError.usage("\(schema): not JSON: \(error)")
            }
        }
        switch strategy {
        case .register?: return PropertyStrategies.register
        case .grafanaWebhook?: return PropertyStrategies.grafanaWebhook
        case nil: break
        }
        guard let exemplar = target.exemplar else {
            throw CLIError.usage("\(target.origin) has no JSON body to vary; give --schema or --strategy")
        }
        return PropertySchema.inferred(from: exemplar)
    }

    func reproduceCommand(base: String, seed: UInt64, runs: Int) -> String {
        var parts = ["stampede", "check", "--base-url", CurlCommand.quote(base)]
        if let corpus { parts += ["--corpus", CurlCommand.quote(corpus)] }
        parts += ["--endpoint", CurlCommand.quote(CheckTarget.normalizedEndpoint(endpoint))]
        if let schema { parts += ["--schema", CurlCommand.quote(schema)] }
        if let strategy { parts += ["--strategy", strategy.rawValue] }
        if property != .no5xx { parts += ["--property", property.rawValue] }
        parts += ["--runs", String(runs), "--seed", String(seed)]
        return parts.joined(separator: " ")
    }
}
