/// An incremental server-sent-events parser (WHATWG HTML "event stream interpretation").
///
/// Feed it bytes as they arrive, in chunks split anywhere (inside a line, a CRLF pair or a UTF-8
/// sequence); it yields each event as soon as its terminating blank line is seen.
///
/// ```swift
/// var parser = SSEParser()
/// let events = parser.feed(Array("data: hi\n\n".utf8))   // [SSEEvent(data: "hi")]
/// ```
///
/// Handles `event`, `data` (multi-line, joined by `\n`), `id` (persisting; values holding NUL are
/// ignored), `retry` (digits only), comments (`:`), LF/CR/CRLF line endings and a leading BOM.
public struct SSEParser: Sendable {
    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var eventType: String = ""
    private var lastEventID: String = ""
    private var blockRetry: Int?
    private var lastWasCR = false
    private var atStreamStart = true
    private var bomBytesSeen = 0

    /// The latest reconnection time (`retry`) the stream announced, in milliseconds.
    public private(set) var reconnectionTimeMs: Int?

    /// A parser at the start of a stream.
    public init() {}

    /// Consumes bytes and returns the events they completed.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [SSEEvent] {
        var events: [SSEEvent] = []
        feed(bytes) { events.append($0) }
        return events
    }

    /// Ends the stream. Per the spec an event without its terminating blank line is discarded,
    /// so this returns no events; it resets the parser for a new stream.
    public mutating func finish() -> [SSEEvent] {
        self = SSEParser()
        return []
    }

    /// Consumes bytes, calling `emit` for each completed event (no intermediate array).
    mutating func feed(_ bytes: some Collection<UInt8>, emit: (SSEEvent) -> Void) {
        for byte in bytes {
            if atStreamStart {
                // A UTF-8 BOM (EF BB BF) is skipped only at the very start of the stream.
                let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
                if byte == bom[bomBytesSeen] {
                    bomBytesSeen += 1
                    if bomBytesSeen == 3 { atStreamStart = false }
                    continue
                }
                atStreamStart = false
                if bomBytesSeen > 0 {
                    // Not a BOM after all: the bytes held back are ordinary line content.
                    line.append(contentsOf: bom[0..<bomBytesSeen])
                }
            }
            switch byte {
            case 0x0A:  // LF
                if lastWasCR {
                    lastWasCR = false  // second half of CRLF: the line already ended at CR
                } else {
                    endLine(emit: emit)
                }
            case 0x0D:  // CR
                lastWasCR = true
                endLine(emit: emit)
            default:
                lastWasCR = false
                line.append(byte)
            }
        }
    }

    private mutating func endLine(emit: (SSEEvent) -> Void) {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            dispatch(emit: emit)
            return
        }
        if line[0] == UInt8(ascii: ":") { return }  // comment
        let field: ArraySlice<UInt8>
        var value: ArraySlice<UInt8>
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            field = line[..<colon]
            value = line[(colon + 1)...]
            if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        } else {
            field = line[...]
            value = []
        }
        switch String(decoding: field, as: UTF8.self) {
        case "event":
            eventType = String(decoding: value, as: UTF8.self)
        case "data":
            data.append(contentsOf: value)
            data.append(0x0A)
            hasData = true
        case "id":
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        case "retry":
            if !value.isEmpty, value.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let ms = Int(String(decoding: value, as: UTF8.self)) {
                reconnectionTimeMs = ms
                blockRetry = ms
            }
        default:
            break  // unknown fields are ignored
        }
    }

    private mutating func dispatch(emit: (SSEEvent) -> Void) {
        defer {
            data.removeAll(keepingCapacity: true)
            hasData = false
            eventType = ""
            blockRetry = nil
        }
        guard hasData else { return }
        if data.last == 0x0A { data.removeLast() }
        emit(SSEEvent(
            event: eventType.isEmpty ? "message" : eventType,
            data: String(decoding: data, as: UTF8.self),
            id: lastEventID.isEmpty ? nil : lastEventID,
            retry: blockRetry
        ))
    }
}
