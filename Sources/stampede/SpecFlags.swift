import APISpec
import ArgumentParser
import Foundation
import StampedeCore
import StampedeEngine

/// `--openapi FILE|URL|auto` and `--checks LIST`, shared by replay, demo, check and mutate.
struct SpecFlags: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The API's OpenAPI 3.x or Swagger 2.0 document (JSON or YAML): a file, a URL, or auto (well-known places under the base URL).",
            valueName: "file|url|auto"))
    var openapi: String?

    @Option(
        help: ArgumentHelp(
            "Conformance checks with --openapi: status, content-type, body-schema, negative-accepted (opt-in), all (default: the first three).",
            valueName: "list"))
    var checks: String?

    /// The selected checks, or a usage error.
    func selectedChecks() throws -> Set<ConformanceCheck> {
        guard let checks else { return ConformanceCheck.defaults }
        do {
            return try ConformanceCheck.parse(checks)
        } catch {
            throw CLIError.usage(error.description)
        }
    }

    /// The spec, loaded (nil without `--openapi`).
    func loadSpec(baseURL: String, sessions: [Session], verifyTLS: Bool) async throws -> APISpecification? {
        guard let openapi else {
            if checks != nil { throw CLIError.usage("--checks needs --openapi") }
            return nil
        }
        do {
            let document: APISpec.Document
            if openapi == "auto" || openapi.contains("://") {
                let engine = try SpecFetcher.makeEngine(verifyTLS: verifyTLS)
                defer { engine.shutdown() }
                let fetcher = SpecFetcher(engine: engine)
                if openapi == "auto" {
                    let paths = sessions.flatMap { $0.steps.map(\.request.path) }
                    let found = try await fetcher.discover(baseURL: baseURL, prefixes: Self.prefixes(of: paths))
                    Console.note("stampede: spec found at \(found.url)")
                    document = found.document
                } else {
                    document = try await fetcher.fetch(openapi)
                }
            } else {
                document = try SpecLoader.load(file: openapi)
            }
            return try APISpecification(document: document)
        } catch let error as SpecError {
            throw CLIError.failure(error.description)
        }
    }

    /// The spec bound to the corpus for a replay (nil without `--openapi`).
    func specRun(baseURL: String, apiPrefix: String, sessions: [Session], verifyTLS: Bool) async throws -> SpecRun? {
        let checks = try selectedChecks()
        guard let spec = try await loadSpec(baseURL: baseURL, sessions: sessions, verifyTLS: verifyTLS) else { return nil }
        return SpecRun(spec: spec, sessions: sessions, apiPrefix: apiPrefix, checks: checks, validator: SpecValidation.validator)
    }

    /// `/api` and `/api/v1` of `/api/v1/scripts`: the first one and two segments of every path.
    static func prefixes(of paths: [String]) -> [String] {
        var out: [String] = []
        for path in paths {
            let segments = path.split(separator: "/").prefix(2).filter { !$0.contains("{") }
            for n in 1...max(1, segments.count) where n <= segments.count {
                let prefix = "/" + segments.prefix(n).joined(separator: "/")
                if !out.contains(prefix) { out.append(prefix) }
            }
        }
        return out
    }
}
