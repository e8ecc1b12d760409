import StampedeCore

/// Operators on the path, one segment at a time.
enum PathOperators {
    static func segments(_ path: String) -> [String] {
        var rest = path.utf8[...]
        if rest.first == UInt8(ascii: "/") { rest = rest.dropFirst() }
        return rest.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map {
            String(Substring($0))
        }
    }

    static func join(_ segments: [String]) -> String { "/" + segments.joined(separator: "/") }

    /// Where each of `segments(path)` lies in `path`, so one can be replaced without splitting
    /// the path into strings and joining them again.
    static func segmentRanges(_ path: String) -> [Range<String.Index>] {
        let utf8 = path.utf8
        var start = utf8.startIndex
        if utf8.first == UInt8(ascii: "/") { start = utf8.index(after: start) }
        var ranges: [Range<String.Index>] = []
        var i = start
        while i < utf8.endIndex {
            if utf8[i] == UInt8(ascii: "/") {
                ranges.append(start..<i)
                start = utf8.index(after: i)
            }
            i = utf8.index(after: i)
        }
        ranges.append(start..<utf8.endIndex)
        return ranges
    }

    /// One segment as `segments(_:)` makes it.
    static func segment(_ path: String, _ range: Range<String.Index>) -> String {
        String(Substring(path.utf8[range]))
    }

    /// Replaces one segment (any, or only identifiers): `join(segments)` with that one changed.
    static func replaceSegment(
        _ ctx: inout MutationContext, _ rng: inout SeededGenerator, onlyIdentifiers: Bool = false,
        _ make: (String, inout SeededGenerator) -> String
    ) -> String? {
        let path = ctx.request.path
        let ranges = segmentRanges(path)
        let i: Int
        if onlyIdentifiers {
            let indices = ranges.indices.filter { EndpointTemplate.isIdentifier(Substring(path.utf8[ranges[$0]])) }
            guard !indices.isEmpty else { return nil }
            i = rng.element(indices)
        } else {
            i = rng.next(below: ranges.count)  // what `element` draws from all indices
        }
        let new = make(segment(path, ranges[i]), &rng)
        var out = "/"
        out.reserveCapacity(path.utf8.count + new.utf8.count + 1)
        out.append(contentsOf: Substring(path.utf8[ranges[0].lowerBound..<ranges[i].lowerBound]))
        out.append(contentsOf: new)
        out.append(contentsOf: Substring(path.utf8[ranges[i].upperBound...]))
        ctx.request.path = out
        return "segment \(i + 1) → \(abbreviate(new))"
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
        MutationOperator("path.id-type", [.path], requires: .identifier) { ctx, rng in
            replaceSegment(&ctx, &rng, onlyIdentifiers: true) { _, rng in
                rng.element(["abc", "1.5", "true", "null", "[]", "%20", "1e3", "0x1A", "undefined", "-"])
            }
        },
        MutationOperator("path.id-negative", [.path], weight: 0.7, requires: .identifier) { ctx, rng in
            replaceSegment(&ctx, &rng, onlyIdentifiers: true) { _, rng in
                rng.element(["-1", "-0", "-2147483649", "-9223372036854775809"])
            }
        },
        MutationOperator("path.id-huge", [.path], weight: 0.7, requires: .identifier) { ctx, rng in
            replaceSegment(&ctx, &rng, onlyIdentifiers: true) { _, rng in
                rng.element(["2147483648", "9223372036854775808", "99999999999999999999999999", "1e308"])
            }
        },
        MutationOperator("path.id-other", [.path], requires: .identifier) { ctx, rng in
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
    abbreviated(s, after: "")
}

/// `prefix + abbreviate(s)`, built in one allocation (details are made for every mutant).
func abbreviated(_ s: String, after prefix: String) -> String {
    let count = s.utf8.count
    guard count <= 24 else { return prefix + "\"" + String(s.prefix(12)) + "…\" (\(count) bytes)" }
    var out = ""
    out.reserveCapacity(prefix.utf8.count + count + 2)
    out.append(prefix)
    out.append("\"")
    out.append(s)
    out.append("\"")
    return out
}
