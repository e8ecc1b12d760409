import StampedeCore
import StampedeHTTP

/// Operators on headers, including the cookie jar flag.
enum HeaderOperators {
    static func index(of name: String, in headers: [HTTPHeader]) -> Int? {
        headers.firstIndex { HTTPHeader.namesEqual($0.name, name) }
    }

    static func removeAll(_ name: String, from ctx: inout MutationContext) -> Int {
        let before = ctx.request.headers.count
        guard index(of: name, in: ctx.request.headers) != nil else { return 0 }
        ctx.request.headers.removeAll(named: name)
        return before - ctx.request.headers.count
    }

    static let all: [MutationOperator] = [
        MutationOperator("headers.drop-cookie", [.headers, .cookies]) { ctx, _ in
            let removed = removeAll("Cookie", from: &ctx)
            ctx.dropCookies = true
            return removed > 0 ? "jar and \(removed) Cookie header(s)" : "jar"
        },
        MutationOperator("headers.drop-csrf", [.headers], requires: .csrfHeader) { ctx, _ in
            removeAll("X-CSRF-Token", from: &ctx) > 0 ? "X-CSRF-Token" : nil
        },
        MutationOperator("headers.drop-content-type", [.headers], requires: .contentTypeHeader) { ctx, _ in
            removeAll("Content-Type", from: &ctx) > 0 ? "Content-Type" : nil
        },
        MutationOperator("headers.wrong-content-type", [.headers]) { ctx, rng in
            let current = index(of: "Content-Type", in: ctx.request.headers).map { ctx.request.headers[$0].value }
            let choices = FuzzValues.contentTypes.filter { $0 != current }
            let value = rng.element(choices)
            if let i = index(of: "Content-Type", in: ctx.request.headers) {
                ctx.request.headers[i].value = value
            } else {
                ctx.request.headers.append(HTTPHeader("Content-Type", value))
            }
            return "\"\(value)\""
        },
        MutationOperator("headers.garbage-value", [.headers], weight: 0.3, requires: .headers) { ctx, rng in
            guard !ctx.request.headers.isEmpty else { return nil }
            let i = rng.next(below: ctx.request.headers.count)
            ctx.request.headers[i].value = rng.element(FuzzValues.garbageHeaderValues)
            return "\(ctx.request.headers[i].name): \(abbreviate(ctx.request.headers[i].value))"
        },
        MutationOperator("headers.huge-value", [.headers], weight: 0.7) { ctx, rng in
            let n = ctx.hugeSize(&rng) * 2
            let value = String.filled("A", n)
            if ctx.request.headers.isEmpty || rng.chance(0.3) {
                ctx.request.headers.append(HTTPHeader("X-Fuzz", value))
                return "X-Fuzz: \(n) bytes"
            }
            let i = rng.next(below: ctx.request.headers.count)
            ctx.request.headers[i].value = value
            return "\(ctx.request.headers[i].name): \(n) bytes"
        },
        MutationOperator("headers.duplicate", [.headers], requires: .headers) { ctx, rng in
            guard !ctx.request.headers.isEmpty else { return nil }
            var copy = ctx.request.headers[rng.next(below: ctx.request.headers.count)]
            if rng.chance(0.5) { copy.value = rng.element(FuzzValues.garbageHeaderValues) }
            ctx.request.headers.append(copy)
            return copy.name
        },
        MutationOperator("headers.add-unknown", [.headers], weight: 0.5) { ctx, rng in
            let header = rng.element(FuzzValues.extraHeaders)
            ctx.request.headers.append(header)
            return header.name
        },
    ]
}
