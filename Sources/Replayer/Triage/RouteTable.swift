import StampedeCore

/// The corpus's recorded path templates, for naming the route a (mutated) path lands on.
///
/// A path matches a recorded route with as many segments whose fixed segments are equal; at the
/// route's identifier positions (`{{var}}`, digits, UUIDs, tokens) any non-empty segment matches. So
/// `/api/v1/scripts/aaaa…` and `/api/v1/scripts/index.html` both land on `/api/v1/scripts/{id}`,
/// the route their handler serves, whatever the parent step was. A path matching no route is
/// named by `EndpointTemplate.normalize`.
struct RouteTable: Sendable {
    /// Each route as segments, `nil` at identifier positions.
    private let routes: [[String?]]

    init(paths: some Sequence<String>) {
        var seen = Set<[String?]>()
        var routes: [[String?]] = []
        for path in paths {
            let route = Self.segments(path).map { EndpointTemplate.isIdentifier(Substring($0)) ? nil : $0 }
            if seen.insert(route).inserted { routes.append(route) }
        }
        // Routes with more fixed segments first, so `/a/b/c` wins over `/a/{id}/c`.
        self.routes = routes.sorted { $0.compactMap { $0 }.count > $1.compactMap { $0 }.count }
    }

    /// The route template (`/api/v1/scripts/{id}`) of a path (template or rendered; no query).
    func route(of path: String) -> String {
        var p = Substring(path)
        if let q = p.firstIndex(of: "?") { p = p[..<q] }
        let parts = Self.segments(String(p))
        for route in routes where route.count == parts.count {
            // An empty segment (`/scripts/`) is no identifier: most servers route it as `/scripts`.
            if zip(route, parts).allSatisfy({ $0.0 == nil ? !$0.1.isEmpty : $0.0 == $0.1 }) {
                return "/" + route.map { $0 ?? "{id}" }.joined(separator: "/")
            }
        }
        return EndpointTemplate.normalize(path: p)
    }

    /// Whether `route(of:)` found a recorded route for the path.
    func isRecorded(_ route: String) -> Bool {
        let parts = Self.segments(route)
        return routes.contains { r in r.count == parts.count && zip(r, parts).allSatisfy { ($0.0 ?? "{id}") == $0.1 } }
    }

    static func segments(_ path: String) -> [String] {
        var rest = Substring(path)
        if rest.first == "/" { rest = rest.dropFirst() }
        return rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    }
}
