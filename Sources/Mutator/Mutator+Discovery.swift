import StampedeCore
import Synchronization

/// Discovery beyond the recording: learning from responses, GET targets from links and
/// well-known paths, and reuse of learned values.
extension Mutator {
    /// Learns paths and values from a response the target sent (any request of the run).
    ///
    /// Links (`href`, `url`, `links` members; `Location`, `Content-Location`, `Link` headers)
    /// inside the scope become GET targets, each sent once per run by `nextMutant(seed:)`;
    /// ids, ETags and enum-like strings feed the `learned.value` operation. Cheap for bodies
    /// that are not JSON; only 2xx and 3xx responses are read.
    public func learn(from response: ObservedResponse) {
        guard configuration.discovery, (200..<400).contains(response.status) else { return }
        let (links, values) = Discovery.harvest(response)
        guard !links.isEmpty || !values.isEmpty else { return }
        let inScope = links.filter(isInScope(path:))
        discovery.withLock { state in
            for link in inScope { state.add(link: link) }
            for value in values { state.add(value: value) }
        }
    }

    /// Whether a discovered path may be sent: it starts with the first segment of a recorded path
    /// and stays inside `--monkey-scope`.
    public func isInScope(path: String) -> Bool {
        guard let first = PathOperators.segments(path).first else { return false }
        return scopeRoots.contains(first) && pathScope.contains(path)
    }

    /// Counters of discovery so far, for reports.
    public func discoveryStatistics() -> DiscoveryStatistics {
        discovery.withLock { s in
            DiscoveryStatistics(
                learnedValues: s.values.count, pendingLinks: s.links.count, pendingWellKnown: s.wellKnown.count,
                targetsSent: s.handedOut.count)
        }
    }

    /// A GET to the next discovered or well-known path, or nil when none is left.
    func discoveryMutant(seed: UInt64) -> Mutant? {
        guard let target = discovery.withLock({ $0.nextTarget() }), let parent = discoveryParent(for: target.path) else { return nil }
        let op = MutationOperation(name: target.isLink ? "discover.link" : "discover.well-known", detail: target.path, seed: seed)
        let result = applyAll([op], to: sessions[parent.session].steps[parent.step].request)
        return Mutant(
            parentSession: parent.session, parentStep: parent.step, seed: seed, operations: [op], request: result.request,
            dropCookies: result.dropCookies)
    }

    /// The recorded plain GET (no body, no query) whose path shares the most leading segments with
    /// `path` (the first on a tie), else the first step: its headers go along, and the replayer
    /// counts the mutant under it.
    func discoveryParent(for path: String) -> (session: Int, step: Int)? {
        let target = PathOperators.segments(path)
        var best: (session: Int, step: Int)? = nil
        var bestScore = -1
        for p in parents {
            let r = sessions[p.session].steps[p.step].request
            guard r.method == "GET", r.body == nil, r.query.isEmpty else { continue }
            let score = zip(PathOperators.segments(r.path), target).prefix { $0 == $1 }.count
            if score > bestScore { (best, bestScore) = (p, score) }
        }
        return best ?? parents.first
    }

    /// Appends a `learned.value` operation drawing from the run's dictionary, when it has one.
    func addLearnedValue(to mutant: inout Mutant, rng: inout SeededGenerator) {
        let value: String? = discovery.withLock { s in s.values.isEmpty ? nil : s.values[rng.next(below: s.values.count)] }
        guard let value else { return }
        let op = MutationOperation(name: "learned.value", detail: value, seed: rng.next())
        var ctx = MutationContext(
            request: mutant.request, dropCookies: mutant.dropCookies, donors: donors, hugeSizes: configuration.hugeSizes,
            maximumBody: configuration.maximumBodyBytes)
        var opRng = SeededGenerator(seed: op.seed)
        guard LearnedOperators.apply(op, to: &ctx, &opRng) != nil else { return }
        let result = ctx.finish()
        mutant.operations.append(op)
        mutant.request = result.request
        mutant.dropCookies = result.dropCookies
    }
}

/// Discovery counters: learned values, paths waiting, targets sent.
public struct DiscoveryStatistics: Sendable, Hashable {
    /// Values in the run's dictionary.
    public var learnedValues: Int
    /// Links learned but not sent yet.
    public var pendingLinks: Int
    /// Well-known paths not tried yet.
    public var pendingWellKnown: Int
    /// Discovered and well-known paths sent so far.
    public var targetsSent: Int
}

/// Operations that carry their input in `detail` (a path or a learned value) because it comes
/// from the run rather than from the seed: `discover.link`, `discover.well-known`, `learned.value`.
enum LearnedOperators {
    static let names: Set<String> = ["discover.link", "discover.well-known", "learned.value"]

    /// Applies one of them; nil for an unknown name or when nothing could take the value.
    static func apply(_ op: MutationOperation, to ctx: inout MutationContext, _ rng: inout SeededGenerator) -> String? {
        switch op.name {
        case "discover.link", "discover.well-known":
            ctx.request.method = "GET"
            ctx.request.path = op.detail
            ctx.request.query = []
            ctx.setBody(nil)
            _ = HeaderOperators.removeAll("Content-Type", from: &ctx)
            return op.detail
        case "learned.value":
            return placeValue(op.detail, in: &ctx, &rng)
        default:
            return nil
        }
    }

    /// Puts a learned value where a recorded one stood: an ETag into a conditional header, else a
    /// JSON string, a query value or a path id.
    static func placeValue(_ value: String, in ctx: inout MutationContext, _ rng: inout SeededGenerator) -> String? {
        if value.hasPrefix("\"") || value.hasPrefix("W/") {
            return HeaderGrammar.set(rng.chance(0.5) ? "If-Match" : "If-None-Match", value, in: &ctx)
        }
        var local = rng
        let json: String? = ctx.withJSON { root -> String? in
            let count = root.nodeCount(where: JSONOperators.isString)
            guard count > 0, let path = root.nodePath(at: local.next(below: count), where: JSONOperators.isString) else { return nil }
            return root.modify(at: path[...]) { $0 = .string(value) }.map { "\(root.pointerText(for: path[...]))" }
        }
        rng = local
        if let json { return json }
        if !ctx.request.query.isEmpty {
            let i = rng.next(below: ctx.request.query.count)
            ctx.request.query[i].value = value
            return ctx.request.query[i].name
        }
        return PathOperators.replaceSegment(&ctx, &rng, onlyIdentifiers: true) { _, _ in PercentEncoding.encode(value) }
    }
}
