import StampedeCore
import StampedeHTTP

/// Probes: operators whose FIRST draw picks one of a short, countable list of variants, each a
/// boundary that commonly breaks servers (a `*`-prefixed entity tag, a non-JSON Content-Type on
/// DELETE, an id one past a 64-character column, `limit=0`, a number where a string stood, a
/// prototype key in a nested map). Because the variant is the first draw, the first pass
/// (`FirstPass`) can send every variant of every probe to every recorded step exactly once, by a
/// seed that re-applies to the same variant: the mutant stays reproducible from its operations.
/// Each is named in the family of the part it changes (`headers.probe-conditional`), so a family
/// weight of 0 disables its probes too.
enum ProbeOperators {
    /// Longest list of leaves or objects a JSON probe walks (pre-order), so a big body does not
    /// turn one probe into hundreds of first-pass mutants.
    static let maximumNodes = 16

    static let conditionals: [(String, String)] = [
        ("If-None-Match", "*x"), ("If-Match", "*x"), ("If-Modified-Since", "yesterday"), ("If-Range", "*x"),
    ]
    static let contentTypes = ["text/plain", "multipart/form-data", "application/x-www-form-urlencoded", "application/xml"]
    /// One past the common 64-character column, a byte-sized length, a page.
    static let idLengths = [65, 256, 4096]
    static let queryValues = ["0", "-1", "2147483648", ""]
    static let typeSwaps: [JSONValue] = [.number(JSONNumber(text: "1")), .bool(true), .array([]), .object([])]
    static let strings = ["\u{E9}", "", "\u{1F600}"]
    static let keys = ["__proto__", "$where", ""]

    /// Catalog order is part of reproducibility, and also the first pass's order among probes:
    /// the cheapest, most productive probes first. New probes go at the end.
    static let all: [MutationOperator] = [
        probe("headers.probe-conditional", [.headers], count: { _ in conditionals.count }) { ctx, v in
            HeaderGrammar.set(conditionals[v].0, conditionals[v].1, in: &ctx)
        },
        probe("headers.probe-content-type", [.headers], count: { _ in contentTypes.count }) { ctx, v in
            HeaderGrammar.set("Content-Type", contentTypes[v], in: &ctx)
        },
        probe("path.probe-id-length", [.path], requires: .identifier, count: { _ in idLengths.count }) { ctx, v in
            var parts = PathOperators.segments(ctx.request.path)
            guard let i = parts.lastIndex(where: { EndpointTemplate.isIdentifier(Substring($0)) }) else { return nil }
            parts[i] = String.filled("a", idLengths[v])
            ctx.request.path = PathOperators.join(parts)
            return "segment \(i + 1) → \(idLengths[v]) characters"
        },
        probe("query.probe-number", [.query], requires: .query, count: { _ in queryValues.count }, apply: queryNumber),
        probe("json.probe-type", [.body], requires: .json, count: { leafCount(&$0, isScalar) * typeSwaps.count }) { ctx, v in
            replaceLeaf(&ctx, isScalar, index: v / typeSwaps.count, with: typeSwaps[v % typeSwaps.count])
        },
        probe("json.probe-string", [.body], requires: .json, count: { leafCount(&$0, isString) * strings.count }) { ctx, v in
            replaceLeaf(&ctx, isString, index: v / strings.count, with: .string(strings[v % strings.count]))
        },
        probe("json.probe-key", [.body], requires: .json, count: { leafCount(&$0, isObject) * keys.count }, apply: addKey),
        probe("method.probe", [.method], count: { _ in FuzzValues.standardMethods.count - 1 }) { ctx, v in
            let others = FuzzValues.standardMethods.filter { $0 != ctx.request.method.uppercased() }
            guard v < others.count else { return nil }
            ctx.request.method = others[v]
            return others[v]
        },
    ]

    /// A probe: the variant count for the request, then the variant as the first draw.
    static func probe(
        _ name: String, _ parts: Set<RequestPart>, requires: MutationContext.Facts = [],
        count: @escaping @Sendable (inout MutationContext) -> Int,
        apply: @escaping @Sendable (inout MutationContext, Int) -> String?
    ) -> MutationOperator {
        MutationOperator(name, parts, weight: 0.5, requires: requires, variants: count) { ctx, rng in
            let n = count(&ctx)
            guard n > 0 else { return nil }
            return apply(&ctx, rng.next(below: n))
        }
    }

    static func isScalar(_ v: JSONValue) -> Bool { !v.isContainer }
    static func isString(_ v: JSONValue) -> Bool { v.stringValue != nil }
    static func isObject(_ v: JSONValue) -> Bool { v.objectMembers != nil }

    /// Paths of the first `maximumNodes` nodes matching `filter`, in pre-order.
    static func nodes(_ root: JSONValue, _ filter: (JSONValue) -> Bool) -> [[Int]] {
        root.nodePaths(where: filter, limit: maximumNodes)
    }

    static func leafCount(_ ctx: inout MutationContext, _ filter: @escaping (JSONValue) -> Bool) -> Int {
        ctx.readJSON { nodes($0, filter).count } ?? 0
    }

    static func replaceLeaf(_ ctx: inout MutationContext, _ filter: @escaping (JSONValue) -> Bool, index: Int, with value: JSONValue) -> String? {
        ctx.withJSON { root -> String? in
            let paths = nodes(root, filter)
            guard index < paths.count else { return nil }
            let pointer = root.pointerText(for: paths[index][...])
            _ = root.modify(at: paths[index][...]) { $0 = value }
            return pointer + " → " + abbreviate(value.serialized())
        }
    }

    static func addKey(_ ctx: inout MutationContext, _ v: Int) -> String? {
        ctx.withJSON { root -> String? in
            let paths = nodes(root, isObject)
            let index = v / keys.count
            guard index < paths.count else { return nil }
            let key = keys[v % keys.count]
            let pointer = root.pointerText(for: paths[index][...])
            _ = root.modify(at: paths[index][...]) { node in
                if case .object(var members) = node {
                    members.append(JSONMember(key, .string("x")))
                    node = .object(members)
                }
            }
            return pointer + " + " + abbreviate(key)
        }
    }

    /// Every numeric query value (every value when none is numeric) set to one boundary.
    static func queryNumber(_ ctx: inout MutationContext, _ v: Int) -> String? {
        let numeric = ctx.request.query.indices.filter { i in
            guard let value = ctx.request.query[i].value, !value.isEmpty else { return false }
            return value.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        }
        let targets = numeric.isEmpty ? Array(ctx.request.query.indices) : numeric
        guard !targets.isEmpty else { return nil }
        for i in targets { ctx.request.query[i].value = queryValues[v] }
        return targets.map { ctx.request.query[$0].name }.joined(separator: ",") + "=" + abbreviate(queryValues[v])
    }
}
