import StampedeCore

/// Operators on query parameters.
enum QueryOperators {
    static func hasQuery(_ ctx: inout MutationContext) -> Bool { !ctx.request.query.isEmpty }

    static func changeValue(
        _ ctx: inout MutationContext, _ rng: inout SeededGenerator, _ make: (QueryItem, inout SeededGenerator) -> String?
    ) -> String? {
        guard !ctx.request.query.isEmpty else { return nil }
        let i = rng.next(below: ctx.request.query.count)
        let value = make(ctx.request.query[i], &rng)
        ctx.request.query[i].value = value
        return "\(ctx.request.query[i].name)=\(value.map(abbreviate) ?? "(bare)")"
    }

    static let all: [MutationOperator] = [
        MutationOperator("query.drop", [.query], requires: .query) { ctx, rng in
            guard !ctx.request.query.isEmpty else { return nil }
            let removed = ctx.request.query.remove(at: rng.next(below: ctx.request.query.count))
            return removed.name
        },
        MutationOperator("query.duplicate", [.query], requires: .query) { ctx, rng in
            guard !ctx.request.query.isEmpty else { return nil }
            let i = rng.next(below: ctx.request.query.count)
            var copy = ctx.request.query[i]
            if rng.chance(0.5) { copy.value = rng.element(FuzzValues.numbersAndSpecialStrings) }
            ctx.request.query.insert(copy, at: rng.next(below: ctx.request.query.count + 1))
            return copy.name
        },
        MutationOperator("query.add-unknown", [.query], weight: 0.7) { ctx, rng in
            let name = rng.element(FuzzValues.queryNames)
            let value: String? = rng.chance(0.15) ? nil : rng.element(FuzzValues.numbersAndSpecialStrings)
            ctx.request.query.append(QueryItem(name, value))
            return name
        },
        MutationOperator("query.type-confuse", [.query], requires: .query) { ctx, rng in
            guard !ctx.request.query.isEmpty else { return nil }
            if rng.chance(0.2) {
                let i = rng.next(below: ctx.request.query.count)
                ctx.request.query[i].name += "[]"
                return "\(ctx.request.query[i].name) (array name)"
            }
            return changeValue(&ctx, &rng) { _, rng in
                rng.element([nil, "", "true", "false", "null", "[]", "{}", "abc", "1.5", "[1,2]", "{\"a\":1}"])
            }
        },
        MutationOperator("query.boundary-number", [.query]) { ctx, rng in
            if ctx.request.query.isEmpty || rng.chance(0.2) {
                let item = QueryItem(rng.element(["limit", "offset", "page"]), rng.element(FuzzValues.boundaryNumbers))
                ctx.request.query.append(item)
                return "\(item.name)=\(item.value ?? "")"
            }
            return changeValue(&ctx, &rng) { _, rng in rng.element(FuzzValues.boundaryNumbers) }
        },
        MutationOperator("query.overlong", [.query], weight: 0.7) { ctx, rng in
            let n = ctx.hugeSize(&rng)
            if ctx.request.query.isEmpty || rng.chance(0.25) {
                ctx.request.query.append(QueryItem(String.filled("q", n), "1"))
                return "name of \(n) characters"
            }
            return changeValue(&ctx, &rng) { _, _ in String.filled("A", n) }
        },
        MutationOperator("query.special-chars", [.query]) { ctx, rng in
            if ctx.request.query.isEmpty {
                let item = QueryItem(rng.element(FuzzValues.queryNames), rng.element(FuzzValues.specialStrings))
                ctx.request.query.append(item)
                return item.name
            }
            return changeValue(&ctx, &rng) { _, rng in
                rng.element(FuzzValues.oddStrings)
            }
        },
    ]
}
