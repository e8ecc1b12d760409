import StampedeCore

/// Operators on the path, one segment at a time.
enum PathOperators {
    static func segments(_ path: String) -> [String] {
        var rest = Substring(path)
        if rest.first == "/" { rest = rest.dropFirst() }
        return rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    }

    static func join(_ segments: [String]) -> String { "/" + segments.joined(separator: "/") }

    /// Replaces one segment (chosen among `candidates`, all segments when nil).
    static func replaceSegment(
        _ ctx: inout MutationContext, _ rng: inout SeededGenerator, onlyIdentifiers: Bool = false,
        _ make: (String, inout SeededGenerator) -> String
    ) -> String? {
        var parts = segments(ctx.request.path)
        let indices = parts.indices.filter { !onlyIdentifiers || EndpointTemplate.isIdentifier(Substring(parts[$0])) }
        guard !indices.isEmpty else { return nil }
        let i = rng.element(indices)
        let old = parts[i]
        parts[i] = make(old, &rng)
        ctx.request.path = join(parts)
        return "segment \(i + 1) → \(abbreviate(parts[i]))"
    }

    static func hasIdentifier(_ ctx: inout MutationContext) -> Bool {
        segments(ctx.request.path).contains { EndpointTemplate.isIdentifier(Substring($0)) }
    }

    static let all: [MutationOperator] = [
        MutationOperator("path.empty-segment", [.path]) { ctx, rng in
            replaceSegment(&ctx, &rng) { _, _ in "" }
        },
        MutationOperator("path.dot-segment", [.path]) { ctx, rng in
            let dots = ["..", ".", "%2e%2e", "..;", "...", "./.."]
            if rng.chance(0.5) {
                return replaceSegment(&ctx, &rng) { _, rng in rng.element(dots) }
            }
            var parts = segments(ctx.request.path)
            let i = rng.next(below: parts.count + 1)
            let dot = rng.element(dots)
            parts.insert(dot, at: i)
            ctx.request.path = join(parts)
            return "insert \(dot) at \(i + 1)"
        },
        MutationOperator("path.encoded-segment", [.path]) { ctx, rng in
            replaceSegment(&ctx, &rng) { old, rng in
                if !Placeholders.contains(old), !old.isEmpty, rng.chance(0.5) {
                    // Every byte escaped, unreserved ones included: equivalent for a correct server.
                    return old.utf8.map { "%" + hex2($0) }.joined()
                }
                return rng.element(FuzzValues.encodedSegments)
            }
        },
        MutationOperator("path.overlong-segment", [.path], weight: 0.7) { ctx, rng in
            let n = ctx.hugeSize(&rng)
            return replaceSegment(&ctx, &rng) { _, _ in String.filled("a", n) }
        },
        MutationOperator("path.unicode-segment", [.path]) { ctx, rng in
            replaceSegment(&ctx, &rng) { old, rng in
                let text = rng.element(FuzzValues.unicodeStrings)
                let piece = rng.chance(0.5) ? PercentEncoding.encode(text) : text
                return rng.chance(0.5) ? piece : old + piece
            }
        },
        MutationOperator("path.null-byte", [.path], weight: 0.7) { ctx, rng in
            replaceSegment(&ctx, &rng) { old, rng in
                rng.element([old + "%00", "%00" + old, old + "%00.json", "%00"])
            }
        },
        MutationOperator("path.id-type", [.path], applies: hasIdentifier) { ctx, rng in
            replaceSegment(&ctx, &rng, onlyIdentifiers: true) { _, rng in
                rng.element(["abc", "1.5", "true", "null", "[]", "%20", "1e3", "0x1A", "undefined", "-"])
            }
        },
        MutationOperator("path.id-negative", [.path], weight: 0.7, applies: hasIdentifier) { ctx, rng in
            replaceSegment(&ctx, &rng, onlyIdentifiers: true) { _, rng in
                rng.element(["-1", "-0", "-2147483649", "-9223372036854775809"])
            }
        },
        MutationOperator("path.id-huge", [.path], weight: 0.7, applies: hasIdentifier) { ctx, rng in
            replaceSegment(&ctx, &rng, onlyIdentifiers: true) { _, rng in
                rng.element(["2147483648", "9223372036854775808", "99999999999999999999999999", "1e308"])
            }
        },
        MutationOperator("path.id-other", [.path], applies: hasIdentifier) { ctx, rng in
            replaceSegment(&ctx, &rng, onlyIdentifiers: true) { _, rng in
                switch rng.next(below: 4) {
                case 0: "0"
                case 1: String(rng.next(in: 1...100_000))
                case 2: "00000000-0000-0000-0000-000000000000"
                default: rng.uuidString()
                }
            }
        },
        MutationOperator("path.add-segment", [.path]) { ctx, rng in
            var parts = segments(ctx.request.path)
            let i = rng.next(below: parts.count + 1)
            let segment = rng.element(FuzzValues.pathSegments)
            parts.insert(segment, at: i)
            ctx.request.path = join(parts)
            return "insert \(segment) at \(i + 1)"
        },
        MutationOperator("path.drop-segment", [.path]) { ctx, rng in
            var parts = segments(ctx.request.path)
            guard !(parts.count == 1 && parts[0].isEmpty) else { return nil }
            let i = rng.next(below: parts.count)
            parts.remove(at: i)
            ctx.request.path = join(parts)
            return "segment \(i + 1)"
        },
        MutationOperator("path.trailing-slash", [.path], weight: 0.7) { ctx, rng in
            let path = ctx.request.path
            if path.hasSuffix("/") && path.count > 1 && rng.chance(0.5) {
                ctx.request.path = String(path.dropLast())
                return "removed"
            }
            ctx.request.path = path + (rng.chance(0.7) ? "/" : "//")
            return "added"
        },
    ]
}

func hex2(_ b: UInt8) -> String {
    let digits = Array("0123456789ABCDEF".utf8)
    return String(decoding: [digits[Int(b >> 4)], digits[Int(b & 0xF)]], as: UTF8.self)
}

/// A value shortened for `detail` text.
func abbreviate(_ s: String) -> String {
    let count = s.utf8.count
    guard count > 24 else { return "\"" + s + "\"" }
    return "\"" + String(s.prefix(12)) + "…\" (\(count) bytes)"
}
