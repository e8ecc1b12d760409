import StampedeCore

/// Operators on the method token.
enum MethodOperators {
    static let all: [MutationOperator] = [
        MutationOperator("method.swap", [.method]) { ctx, rng in
            let others = FuzzValues.standardMethods.filter { $0 != ctx.request.method.uppercased() }
            let method = rng.element(others)
            ctx.request.method = method
            return method
        },
        MutationOperator("method.lowercase", [.method], weight: 0.5) { ctx, rng in
            let lower = ctx.request.method.lowercased()
            if lower != ctx.request.method {
                ctx.request.method = lower
            } else {
                // Already lower case: mix the case instead.
                ctx.request.method = String(
                    ctx.request.method.enumerated().map { i, c in i % 2 == 0 ? Character(c.uppercased()) : c })
            }
            return ctx.request.method
        },
        MutationOperator("method.unknown", [.method]) { ctx, rng in
            ctx.request.method = rng.element(FuzzValues.unknownMethods)
            return ctx.request.method
        },
        MutationOperator("method.overlong", [.method], weight: 0.5) { ctx, rng in
            let n = ctx.hugeSize(&rng)
            ctx.request.method = rng.chance(0.5) ? String.filled("A", n) : String.filled("G", n)
            return "\(n) characters"
        },
    ]
}
