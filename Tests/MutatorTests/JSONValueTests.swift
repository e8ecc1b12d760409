import Mutator
import PropertyBased
import StampedeCore
import Testing

/// A random JSON tree, including numbers in exotic but valid spellings and non-ASCII strings.
func randomJSON(_ rng: inout SeededGenerator, depth: Int = 0) -> JSONValue {
    let pick = depth > 4 ? rng.next(below: 4) : rng.next(below: 6)
    switch pick {
    case 0: return .null
    case 1: return .bool(rng.chance(0.5))
    case 2:
        let texts = ["0", "-0", "1", "-12", "3.25", "1e5", "1E-7", "-2.5e+10", "18446744073709551616", "0.000001", "123456789012345678901234567890"]
        return .number(JSONNumber(text: texts[rng.next(below: texts.count)]))
    case 3:
        let pieces = ["a", "é", "\"", "\\", "\n", "\u{0}", "\u{1F}", "😀", "/", " ", "日本", "\u{7F}", "{{vu.username}}"]
        var s = ""
        for _ in 0..<rng.next(below: 6) { s += pieces[rng.next(below: pieces.count)] }
        return .string(s)
    case 4:
        return .array((0..<rng.next(below: 4)).map { _ in randomJSON(&rng, depth: depth + 1) })
    default:
        let keys = ["a", "b", "a", "", "k~/", "ключ"]
        return .object((0..<rng.next(below: 4)).map { _ in
            JSONMember(keys[rng.next(below: keys.count)], randomJSON(&rng, depth: depth + 1))
        })
    }
}

@Suite struct JSONValueTests {
    @Test func parsesAndKeepsOrderDuplicatesAndNumberText() throws {
        let text = #"{ "b": 1.0, "a": [1e2, -0, 18446744073709551616], "b": "x" }"#
        let value = try JSONValue(parsing: text)
        #expect(value.objectMembers?.map(\.key) == ["b", "a", "b"])
        #expect(value.serialized() == #"{"b":1.0,"a":[1e2,-0,18446744073709551616],"b":"x"}"#)
        #expect(value[key: "b"] == .number(JSONNumber(text: "1.0")))
        #expect(value[pointer: "/a/0"]?.doubleValue == 100)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONValue(parsing: #"["\u00e9\ud83d\ude00\n\t\"\\\/"]"#)
        #expect(value == .array([.string("é😀\n\t\"\\/")]))
        #expect(value.serialized() == "[\"é😀\\n\\t\\\"\\\\/\"]")
    }

    @Test(arguments: [
        ("", JSONParseError.Reason.unexpectedEnd, 0),
        ("[1,]", .unexpectedCharacter, 3),
        ("01", .invalidNumber, 1),
        ("1.", .invalidNumber, 2),
        ("\"a\u{1}\"", .controlCharacterInString, 2),
        ("\"\\x\"", .invalidEscape, 2),
        ("\"\\ud800\"", .invalidUnicodeEscape, 7),
        ("{\"a\" 1}", .unexpectedCharacter, 5),
        ("true false", .trailingData, 5),
        ("nul", .unexpectedEnd, 0),
    ])
    func reportsErrorsWithOffsets(text: String, reason: JSONParseError.Reason, offset: Int) {
        #expect(throws: JSONParseError(reason, offset: offset)) { try JSONValue(parsing: text) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParseError(.invalidUTF8, offset: 1)) { try JSONValue(parsing: [0x22, 0xFF, 0x22]) }
    }

    @Test func limitsDepth() throws {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParseError(.tooDeep, offset: 512)) { try JSONValue(parsing: deep) }
        let ok = try JSONParser(maximumDepth: 600).parse(deep)
        #expect(ok.depth == 600)
    }

    @Test func templatePlaceholdersAsBareValues() throws {
        let text = #"{"id":{{script_id}},"name":"{{vu.username}}"}"#
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
        let value = try JSONParser(allowsTemplatePlaceholders: true).parse(text)
        #expect(value.serialized() == text)
    }

    @Test func numberFromDouble() {
        #expect(JSONNumber(3.0).text == "3")
        #expect(JSONNumber(0.1).text == "0.1")
        #expect(JSONNumber(Double.nan).text == "NaN")
        #expect(JSONNumber(1e300).text == "1e+300")
        #expect(JSONNumber(text: "1.0") != JSONNumber(text: "1"))
    }

    @Test func pointerGetSetRemove() throws {
        var doc = try JSONValue(parsing: #"{"a/b":{"m~n":[1,2]},"list":[]}"#)
        let pointer = try JSONPointer("/a~1b/m~0n/1")
        #expect(pointer.tokens == ["a/b", "m~n", "1"])
        #expect(pointer.description == "/a~1b/m~0n/1")
        #expect(doc[pointer: pointer] == .int(2))
        try doc.set(.string("x"), at: pointer)
        try doc.set(.bool(true), at: JSONPointer("/list/-"))
        try doc.set(.null, at: JSONPointer("/new"))
        #expect(doc.serialized() == #"{"a/b":{"m~n":[1,"x"]},"list":[true],"new":null}"#)
        #expect(try doc.remove(at: JSONPointer("/a~1b/m~0n/0")) == .int(1))
        #expect(doc[pointer: "/a~1b/m~0n"] == .array([.string("x")]))
        #expect(doc[pointer: "/list/01"] == nil)
        #expect(doc[pointer: ""] == doc)
        #expect(throws: JSONPointerError.invalidSyntax("a")) { try JSONPointer("a") }
        #expect(throws: JSONPointerError.invalidSyntax("/~2")) { try JSONPointer("/~2") }
        #expect(throws: JSONPointerError.notFound("/x")) { try doc.set(.null, at: JSONPointer("/x/y")) }
        #expect(throws: JSONPointerError.notAContainer("/new/y")) { try doc.set(.null, at: JSONPointer("/new/y")) }
    }

    @Test func roundTripProperty() async {
        await propertyCheck(count: 500, input: Gen.uint64()) { seed in
            var rng = SeededGenerator(seed: seed)
            let value = randomJSON(&rng)
            let bytes = value.serializedBytes()
            let parsed = try JSONParser().parse(bytes)
            #expect(parsed == value)
            #expect(parsed.serializedBytes() == bytes)
        }
    }

    @Test func pointerRoundTripProperty() async {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            var rng = SeededGenerator(seed: seed)
            let tokens = (0..<rng.next(below: 5)).map { _ in ["a", "~", "/", "~1", "", "é"][rng.next(below: 6)] }
            let pointer = JSONPointer(tokens: tokens)
            let parsed = try JSONPointer(pointer.description)
            #expect(parsed == pointer)
        }
    }
}

/// `nodePath(at:where:)` and `nodeCount(where:)` pick the same node as indexing `nodePaths(where:)`,
/// which `editNode` used to build in full (quadratic in the depth of a nested body).
@Suite struct JSONNodePickTests {
    @Test func theIndexedPathIsTheListedPath() {
        let filters: [(JSONValue) -> Bool] = [{ _ in true }, { $0.isContainer }, { $0.stringValue != nil }, { $0.doubleValue != nil }]
        var rng = SeededGenerator(seed: 41)
        var compared = 0
        for _ in 0..<300 {
            let value = randomJSON(&rng)
            for filter in filters {
                let paths = value.nodePaths(where: filter)
                #expect(value.nodeCount(where: filter) == paths.count)
                for (i, path) in paths.enumerated() { #expect(value.nodePath(at: i, where: filter) == path) }
                #expect(value.nodePath(at: paths.count, where: filter) == nil)
                #expect(value.nodePaths(where: filter, limit: 3) == Array(paths.prefix(3)))
                compared += paths.count
            }
        }
        #expect(compared > 500)
    }

    @Test func aDeepBodyIsPickedFromWithoutListingItsPaths() {
        var value = JSONValue.string("leaf")
        for _ in 0..<3_000 { value = .array([value]) }
        #expect(value.nodeCount(where: { _ in true }) == 3_001)
        #expect(value.nodePath(at: 3_000, where: { _ in true }) == [Int](repeating: 0, count: 3_000))
        #expect(value.nodePath(at: 0, where: { $0.stringValue != nil })?.count == 3_000)
    }
}
