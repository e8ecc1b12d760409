import StampedeCore
import Testing

@testable import Mutator

/// The mutator's fast paths give what the plain code they replaced gave.
@Suite struct MutatorFastPathTests {
    static let pathPieces = ["api", "v1", "", "x", "{{id}}", "42", "%2F", "é", "e\u{301}", "😀", ".", "..", "a;b", "\\"]

    static func randomPath(_ rng: inout SeededGenerator) -> String {
        let body = (0..<rng.next(in: 0...6)).map { _ in pathPieces[rng.next(below: pathPieces.count)] }.joined(separator: "/")
        // Paths without the leading slash and the empty path are split the same way.
        return rng.chance(0.8) ? "/" + body : body
    }

    /// Replacing one segment by its range is `join(segments)` with that segment changed.
    @Test func segmentRangesMatchSegments() {
        var rng = SeededGenerator(seed: 3)
        for _ in 0..<5_000 {
            let path = Self.randomPath(&rng)
            let parts = PathOperators.segments(path)
            let ranges = PathOperators.segmentRanges(path)
            #expect(ranges.map { PathOperators.segment(path, $0) } == parts, "\(path)")
            let i = rng.next(below: parts.count)
            var ctx = MutationContext(request: RequestTemplate(method: "GET", path: path), donors: [], hugeSizes: [65])
            var choose = SeededGenerator(seed: UInt64(i))
            let chosen = choose.next(below: parts.count)
            var same = SeededGenerator(seed: UInt64(i))
            _ = PathOperators.replaceSegment(&ctx, &same) { _, _ in "NEW" }
            var expected = parts
            expected[chosen] = "NEW"
            #expect(ctx.request.path == PathOperators.join(expected), "\(path)")
        }
    }

    /// The escaping that `writeString` did byte by byte before it copied unescaped runs whole.
    static func escapedByteByByte(_ string: String) -> [UInt8] {
        var out: [UInt8] = [0x22]
        for byte in string.utf8 {
            switch byte {
            case 0x22, 0x5C: out += [0x5C, byte]
            case 0x0A: out += Array("\\n".utf8)
            case 0x0D: out += Array("\\r".utf8)
            case 0x09: out += Array("\\t".utf8)
            case 0x08: out += Array("\\b".utf8)
            case 0x0C: out += Array("\\f".utf8)
            case 0..<0x20: out += Array(("\\u00" + format2(byte)).utf8)
            default: out.append(byte)
            }
        }
        return out + [0x22]
    }

    static func format2(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    @Test func stringsAreEscapedAsBefore() {
        let pieces = ["a", "é", "😀", "\"", "\\", "\n", "\r\n", "\t", "\u{0}", "\u{1F}", "\u{7F}", "\u{8}", "\u{C}", String(repeating: "k", count: 40)]
        var rng = SeededGenerator(seed: 9)
        for _ in 0..<5_000 {
            let string = (0..<rng.next(in: 0...8)).map { _ in pieces[rng.next(below: pieces.count)] }.joined()
            var out: [UInt8] = []
            JSONValue.writeString(string, to: &out)
            #expect(out == Self.escapedByteByByte(string), "\(string.debugDescription)")
        }
    }

    /// The operator draw with the sum given is the draw that sums the weights itself.
    @Test func weightedPickWithGivenTotalMatches() {
        var source = SeededGenerator(seed: 11)
        for _ in 0..<2_000 {
            let weights = (0..<source.next(in: 1...40)).map { _ in source.chance(0.4) ? 0 : source.nextUnit() * 3 }
            let total = weights.reduce(0) { $0 + max(0, $1) }
            var a = SeededGenerator(seed: source.next())
            var b = a
            #expect(a.pickWeighted(weights) == b.pickWeighted(weights, total: total))
        }
    }

    static let bodies = [
        #"{"name":"a","tags":["x",{"k":[1,2,{"deep":null}]}],"n":3.5,"o":{}}"#, "[]", "7", #"[[],[{}],{"a":[true]}]"#,
        #"{"s":"{{user}}","e\u00e9":["\n",{"":false}]}"#,
    ]

    /// A pending bomb writes the bytes its built tree serializes to, on every node of a tree, in every shape.
    @Test func pendingBombsWriteWhatBuiltBombsWrite() throws {
        let shapes: [JSONBomb.Shape] = [
            .deep(depth: 2, arrays: true), .deep(depth: 40, arrays: false), .wide(width: 2, array: true),
            .wide(width: 777, array: false), .wide(width: JSONBomb.maximumWidth, array: true),
            .wide(width: JSONBomb.maximumWidth, array: false),
        ]
        for text in Self.bodies {
            let root = try JSONParser().parse(text)
            let nodes = root.nodeCount { _ in true }
            for index in 0..<nodes {
                let path = try #require(root.nodePath(at: index) { _ in true })
                for shape in shapes {
                    let bomb = JSONBomb(path: path, shape: shape)
                    var built = root
                    _ = built.modify(at: path[...], bomb.build)
                    var pending: [UInt8] = []
                    bomb.write(root, to: &pending)
                    #expect(pending == built.serializedBytes(), "\(text) node \(index) \(bomb.detail)")
                }
            }
        }
    }

    /// `isIdentifier` on bytes judges a `{…}` segment as the character comparisons `{{` … `}}` did.
    @Test func placeholderSegmentsAreJudgedAsOnCharacters() {
        let insides = ["x", "", "}", "{", "é", "\u{301}", "\u{600}", "x\u{600}", "\u{301}x", "e\u{301}", "😀", "\u{200D}", "{x}"]
        for inside in insides {
            for open in ["{", "{{"] {
                for close in ["}", "}}"] {
                    let segment = open + inside + close
                    let expected = segment.hasPrefix("{{") && segment.hasSuffix("}}")
                    #expect(EndpointTemplate.isIdentifier(Substring(segment)) == expected, "\(segment.debugDescription)")
                }
            }
        }
    }
}
