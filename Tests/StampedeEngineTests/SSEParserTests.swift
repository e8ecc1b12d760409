import StampedeCore
import StampedeEngine
import Testing

@Suite("SSEParser")
struct SSEParserTests {
    private func parse(_ text: String) -> [SSEEvent] {
        var parser = SSEParser()
        return parser.feed(Array(text.utf8)) + parser.finish()
    }

    @Test func singleEventDefaultsToMessage() {
        #expect(parse("data: hello\n\n") == [SSEEvent(event: "message", data: "hello")])
    }

    @Test func multiLineDataIsJoinedWithNewlines() {
        #expect(parse("data: a\ndata:b\ndata:  c\n\n") == [SSEEvent(data: "a\nb\n c")])
    }

    @Test func eventIdAndRetryFields() {
        let events = parse("event: update\nid: 7\nretry: 1500\ndata: x\n\ndata: y\n\n")
        #expect(events == [
            SSEEvent(event: "update", data: "x", id: "7", retry: 1_500),
            SSEEvent(event: "message", data: "y", id: "7", retry: nil),  // the id persists, the type does not
        ])
    }

    @Test func invalidRetryAndIdWithNulAreIgnored() {
        var parser = SSEParser()
        let events = parser.feed(Array("retry: 12a\nid: a\u{0}b\ndata: z\n\n".utf8))
        #expect(events == [SSEEvent(data: "z")])
        #expect(parser.reconnectionTimeMs == nil)
    }

    @Test func emptyIdResetsTheLastEventID() {
        #expect(parse("id: 1\ndata: a\n\nid\ndata: b\n\n").map(\.id) == ["1", nil])
    }

    @Test func commentsAndUnknownFieldsAreIgnored() {
        #expect(parse(": keep-alive\nfoo: bar\ndata: real\n\n:\n\n") == [SSEEvent(data: "real")])
    }

    @Test func blockWithoutDataIsNotDispatched() {
        #expect(parse("event: ping\n\ndata: after\n\n") == [SSEEvent(data: "after")])
    }

    @Test func emptyDataLineDispatchesAnEmptyEvent() {
        #expect(parse("data\n\n") == [SSEEvent(data: "")])
        #expect(parse("data:\ndata:\n\n") == [SSEEvent(data: "\n")])
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func lineEndings(_ eol: String) {
        let text = "event: e\(eol)data: 1\(eol)data: 2\(eol)\(eol)data: 3\(eol)\(eol)"
        #expect(parse(text) == [SSEEvent(event: "e", data: "1\n2"), SSEEvent(data: "3")])
    }

    @Test func leadingBOMIsSkippedOnlyAtStart() {
        #expect(parse("\u{FEFF}data: a\n\n") == [SSEEvent(data: "a")])
        // A BOM later is ordinary content of the line (here: part of the field name, so ignored).
        #expect(parse("data: a\n\n\u{FEFF}data: b\n\n") == [SSEEvent(data: "a")])
    }

    @Test func unterminatedEventIsDiscardedAtTheEnd() {
        var parser = SSEParser()
        #expect(parser.feed(Array("data: done\n\ndata: partial\n".utf8)) == [SSEEvent(data: "done")])
        #expect(parser.finish().isEmpty)
    }

    @Test func utf8SplitAcrossChunks() {
        var parser = SSEParser()
        let bytes = Array("data: héllo → ✓\n\n".utf8)
        var events: [SSEEvent] = []
        for byte in bytes { events += parser.feed([byte]) }
        #expect(events == [SSEEvent(data: "héllo → ✓")])
    }

    /// Property: however the byte stream is chunked, the same events come out.
    @Test func chunkingAtArbitraryBoundariesYieldsTheSameEvents() {
        let pieces = ["data: alpha\n", "data: beta\r\n", "event: kind\r", "id: 42\n", "retry: 300\n",
                      ": comment\n", "\n", "\r\n", "\r", "data:\n", "data: ünï©ødé\n", "field-only\n", "data:x:y\n"]
        var totalEvents = 0
        for seed in 0..<300 {
            var rng = SeededGenerator(seed: UInt64(seed))
            var text = seed % 2 == 0 ? "\u{FEFF}" : ""
            for _ in 0..<rng.next(in: 1...40) { text += rng.pick(pieces) ?? "" }
            text += "\n\n"
            let bytes = Array(text.utf8)
            let whole = parse(text)
            totalEvents += whole.count

            var parser = SSEParser()
            var chunked: [SSEEvent] = []
            var offset = 0
            while offset < bytes.count {
                let length = min(bytes.count - offset, rng.next(in: 1...7))
                chunked += parser.feed(bytes[offset..<(offset + length)])
                offset += length
            }
            chunked += parser.finish()
            #expect(chunked == whole, "seed \(seed)")
            if chunked != whole { return }
        }
        #expect(totalEvents > 300)  // the generated streams really contain events
    }
}
