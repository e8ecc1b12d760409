import Foundation
public import OpenAPIKit
public import StampedeEngine
import StampedeHTTP

/// Gets a spec over HTTP with the project's engine: one URL, or `auto` discovery under a base URL.
public struct SpecFetcher: Sendable {
    let engine: HTTPEngine
    let timeoutMs: Int

    /// The well-known places `auto` tries under the root and under each recorded path prefix.
    public static let wellKnownPaths = ["/openapi.json", "/openapi.yaml", "/swagger.json", "/docs/openapi.json", "/__api__"]

    /// Fetches with `engine` (its body prefix limit must hold the whole document).
    public init(engine: HTTPEngine, timeoutMs: Int = 5_000) {
        self.engine = engine
        self.timeoutMs = timeoutMs
    }

    /// An engine for fetching specs (a 16 MiB body limit, no proxy).
    public static func makeEngine(verifyTLS: Bool = true) throws -> HTTPEngine {
        try HTTPEngine(configuration: EngineConfiguration(workers: 1, verifyTLS: verifyTLS, bodyPrefixLimit: 16 << 20))
    }

    /// The spec at `url`.
    /// - Throws: `SpecError` (unreachable, not 2xx, or not a spec).
    public func fetch(_ url: String) async throws(SpecError) -> OpenAPI.Document {
        let response = await engine.send(EngineRequest(url: url, headers: [HTTPHeader("Accept", "application/json, application/yaml, */*")], timeoutMs: timeoutMs))
        if let failure = response.failure { throw SpecError("cannot fetch the spec \(url): \(failure.name)") }
        guard response.status / 100 == 2 else { throw SpecError("cannot fetch the spec \(url): status \(response.status)") }
        return try SpecLoader.load(data: response.body, name: url, directory: nil)
    }

    /// Tries the well-known places under `baseURL` and under each of `prefixes` (`/api/v1`), then
    /// the links the API root advertises (a `Link: <…>; rel="service-desc"` header, or a JSON
    /// member naming an OpenAPI or Swagger URL). Returns the first that parses and its URL.
    /// - Throws: `SpecError` listing how many places were tried.
    public func discover(baseURL: String, prefixes: [String]) async throws(SpecError) -> (document: OpenAPI.Document, url: String) {
        let root = Self.origin(of: baseURL)
        var candidates: [String] = []
        for prefix in [""] + prefixes {
            for path in Self.wellKnownPaths where !candidates.contains(root + prefix + path) { candidates.append(root + prefix + path) }
        }
        for prefix in [""] + prefixes {
            candidates += await advertised(root + prefix + "/").filter { !candidates.contains($0) }
        }
        for url in candidates {
            if let document = try? await fetch(url) { return (document, url) }
        }
        throw SpecError("--openapi auto: no spec found under \(root) (\(candidates.count) places tried)")
    }

    /// URLs the page at `url` points to as its API description.
    func advertised(_ url: String) async -> [String] {
        let response = await engine.send(EngineRequest(url: url, headers: [HTTPHeader("Accept", "application/json")], timeoutMs: timeoutMs))
        guard response.failure == nil, response.status / 100 == 2 else { return [] }
        var found: [String] = []
        for link in response.headers.filter({ HTTPHeader.namesEqual($0.name, "Link") }).flatMap({ $0.value.split(separator: ",") })
        where link.contains("service-desc") {
            if let open = link.firstIndex(of: "<"), let close = link.firstIndex(of: ">"), open < close {
                found.append(Self.resolve(String(link[link.index(after: open)..<close]), against: url))
            }
        }
        if let tree = try? SpecTree.parse(response.body, name: url) {
            for (key, value) in tree {
                guard let text = value as? String else { continue }
                let lower = (key + " " + text).lowercased()
                if lower.contains("openapi") || lower.contains("swagger") || lower.contains("api-docs") || lower.contains("__api__") {
                    found.append(Self.resolve(text, against: url))
                }
            }
        }
        return found
    }

    /// `scheme://host:port` of a URL.
    static func origin(of url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let end = rest.firstIndex(of: "/") ?? rest.endIndex
        return String(url[..<end])
    }

    static func resolve(_ reference: String, against url: String) -> String {
        if reference.contains("://") { return reference }
        if reference.hasPrefix("/") { return origin(of: url) + reference }
        let base = url.hasSuffix("/") ? url : String(url[...(url.lastIndex(of: "/") ?? url.startIndex)])
        return base + reference
    }
}
