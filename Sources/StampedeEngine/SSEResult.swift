/// What a server-sent-events read produced.
public struct SSEResult: Sendable, Equatable {
    /// The first `SSEOptions.maxEvents` events.
    public var events: [SSEEvent]
    /// Every event dispatched, including those not kept.
    public var eventCount: Int
    /// Microseconds from the start of the transfer to the first dispatched event, on libcurl's
    /// clock (never more than `Timings.totalUs`).
    public var timeToFirstEventUs: Int64?
    /// True when the read window ended the stream; false when the server ended it.
    public var cutByWindow: Bool

    /// A result; the engine fills it.
    public init(events: [SSEEvent] = [], eventCount: Int = 0, timeToFirstEventUs: Int64? = nil, cutByWindow: Bool = false) {
        self.events = events
        self.eventCount = eventCount
        self.timeToFirstEventUs = timeToFirstEventUs
        self.cutByWindow = cutByWindow
    }
}
