import StampedeCore

/// Operators on the body as a whole.
enum BodyOperators {
    static let all: [MutationOperator] = [
        MutationOperator("body.drop", [.body], weight: 0.5, applies: { $0.request.body != nil }) { ctx, _ in
            guard ctx.request.body != nil else { return nil }
            ctx.setBody(nil)
            return "removed"
        },
        MutationOperator("body.empty", [.body], weight: 0.5, applies: { !($0.request.body?.rawBytes.isEmpty ?? true) }) { ctx, _ in
            guard let body = ctx.request.body else { return nil }
            ctx.setBody(BodyTemplate(text: "", contentType: body.contentType))
            return "empty"
        },
        MutationOperator("body.add", [.body], weight: 0.5, applies: { $0.request.body == nil }) { ctx, rng in
            guard ctx.request.body == nil else { return nil }
            let text = rng.element(["{}", "[]", "null", "{\"a\":1}", "\"x\"", "0", "a=1", "\u{0}"])
            ctx.setBody(BodyTemplate(text: text, contentType: rng.chance(0.7) ? "application/json" : nil))
            return abbreviate(text)
        },
    ]
}
