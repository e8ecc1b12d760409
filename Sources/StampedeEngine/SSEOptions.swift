/// Makes a request a server-sent-events read with a hard time window.
public struct SSEOptions: Sendable, Equatable {
    /// The read window in milliseconds from the start of the transfer; when it passes, the stream
    /// is cut and reported as `SSEResult.cutByWindow`, not as a failure.
    public var windowMs: Int
    /// How many events to keep in `SSEResult.events`; later events are still counted.
    public var maxEvents: Int

    /// Options with an 8 s window (the original suite's) and 64 kept events.
    public init(windowMs: Int = 8_000, maxEvents: Int = 64) {
        self.windowMs = windowMs
        self.maxEvents = maxEvents
    }
}
