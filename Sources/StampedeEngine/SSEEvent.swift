/// One server-sent event as dispatched by `SSEParser`.
public struct SSEEvent: Sendable, Equatable {
    /// The event type; `"message"` when the stream did not name one.
    public var event: String
    /// The `data` lines joined by `\n` (the final newline removed, as the spec says).
    public var data: String
    /// The last event ID in effect when the event was dispatched (it persists across events, per
    /// the spec); nil when none was set or it was reset to empty.
    public var id: String?
    /// The reconnection time from a `retry` field inside this event's block, if any.
    public var retry: Int?

    /// An event; the type defaults to `message`.
    public init(event: String = "message", data: String, id: String? = nil, retry: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }
}
