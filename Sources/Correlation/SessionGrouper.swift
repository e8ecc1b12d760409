/// Groups exchanges into sessions, one per client identity, ended by an idle gap.
///
/// A client is identified by the value of the target's session cookie when its request carries
/// one, else by its connection. The response that sets the session cookie ties that cookie to the
/// session it was set in, so a login and the requests after it stay together even when they use
/// different connections; from then on the connection no longer identifies that session, so the
/// next anonymous client reusing a pooled connection starts a new one.
///
/// The grouper is a value driven by explicit times, so it is deterministic and testable: the
/// proxy calls ``begin(connection:cookies:atMs:)`` when a request arrives (which fixes the
/// step order), ``update(_:with:)`` as the response progresses and ``complete(_:with:)`` at its
/// end; ``finishIdle(nowMs:)`` and ``finishAll()`` hand back finished sessions.
public struct SessionGrouper: Sendable {
    /// Identifies an exchange between `begin` and `complete`.
    public struct Ticket: Sendable, Hashable {
        /// The session the exchange belongs to.
        public let session: Int
        /// The exchange's place in request start order.
        public let sequence: Int
    }

    /// A finished session: its exchanges in request start order.
    public struct Group: Sendable {
        /// The session's number, in order of its first request.
        public var number: Int
        /// Its exchanges, in request start order.
        public var exchanges: [RecordedExchange]
    }

    struct Open: Sendable {
        var exchanges: [Int: RecordedExchange] = [:]
        var inFlight: Set<Int> = []
        var lastActivityMs: Int64
        var keys: Set<String> = []
        var boundToCookie = false
    }

    /// Session cookie and idle gap.
    public let options: RecordingOptions
    private var open: [Int: Open] = [:]
    private var owner: [String: Int] = [:]
    private var nextSession = 1
    private var nextSequence = 0

    /// A grouper with no open session.
    public init(options: RecordingOptions = .init()) {
        self.options = options
    }

    /// Number of sessions not yet finished.
    public var openCount: Int { open.count }

    /// Starts an exchange and assigns it to a session.
    public mutating func begin(connection: String, cookies: [(name: String, value: String)], atMs: Int64) -> Ticket {
        let session = sessionFor(connection: connection, cookies: cookies, atMs: atMs)
        nextSequence += 1
        var state = open[session] ?? Open(lastActivityMs: atMs)
        state.inFlight.insert(nextSequence)
        state.lastActivityMs = max(state.lastActivityMs, atMs)
        open[session] = state
        return Ticket(session: session, sequence: nextSequence)
    }

    /// Records what is known so far of an exchange (its head), so stopping keeps it.
    /// Ignored once the exchange is complete (the completion may race ahead of the head).
    public mutating func update(_ ticket: Ticket, with exchange: RecordedExchange) {
        guard open[ticket.session]?.inFlight.contains(ticket.sequence) == true else { return }
        open[ticket.session]?.exchanges[ticket.sequence] = exchange
        bindCookies(of: exchange, to: ticket.session)
    }

    /// Ends an exchange.
    public mutating func complete(_ ticket: Ticket, with exchange: RecordedExchange) {
        guard var state = open[ticket.session] else { return }
        state.exchanges[ticket.sequence] = exchange
        state.inFlight.remove(ticket.sequence)
        state.lastActivityMs = max(state.lastActivityMs, exchange.endedAtMs)
        open[ticket.session] = state
        bindCookies(of: exchange, to: ticket.session)
    }

    /// Adds a whole exchange at once (HAR import, demo flow).
    public mutating func add(_ exchange: RecordedExchange) {
        let ticket = begin(connection: exchange.connection, cookies: exchange.requestCookies, atMs: exchange.startedAtMs)
        complete(ticket, with: exchange)
    }

    /// Finishes the sessions idle for at least the idle gap with nothing in flight.
    public mutating func finishIdle(nowMs: Int64) -> [Group] {
        let gap = Self.milliseconds(options.idleGap)
        let idle = open.filter { $0.value.inFlight.isEmpty && nowMs - $0.value.lastActivityMs >= gap }.keys.sorted()
        return idle.compactMap { finish($0) }
    }

    /// Finishes every open session, keeping in-flight exchanges as far as they were updated.
    public mutating func finishAll() -> [Group] {
        open.keys.sorted().compactMap { finish($0) }
    }

    private mutating func finish(_ session: Int) -> Group? {
        guard let state = open.removeValue(forKey: session) else { return nil }
        for key in state.keys where owner[key] == session { owner[key] = nil }
        let exchanges = state.exchanges.sorted { $0.key < $1.key }.map(\.value)
        return exchanges.isEmpty ? nil : Group(number: session, exchanges: exchanges)
    }

    private mutating func sessionFor(connection: String, cookies: [(name: String, value: String)], atMs: Int64) -> Int {
        let connectionKey = "conn:" + connection
        if let value = cookies.last(where: { $0.name == options.sessionCookie && !$0.value.isEmpty })?.value {
            let cookieKey = "cookie:" + value
            if let session = owner[cookieKey] { return session }
            // A cookie we have not seen set (set before recording began, or by another route):
            // adopt an anonymous session on the same connection, else start one.
            if let session = owner[connectionKey], open[session]?.boundToCookie == false {
                attach(cookieKey, to: session)
                return session
            }
            return newSession(keys: [cookieKey], atMs: atMs, bound: true)
        }
        if let session = owner[connectionKey] { return session }
        return newSession(keys: [connectionKey], atMs: atMs, bound: false)
    }

    private mutating func newSession(keys: [String], atMs: Int64, bound: Bool) -> Int {
        let session = nextSession
        nextSession += 1
        var state = Open(lastActivityMs: atMs)
        state.boundToCookie = bound
        open[session] = state
        for key in keys { attach(key, to: session) }
        return session
    }

    private mutating func attach(_ key: String, to session: Int) {
        owner[key] = session
        open[session]?.keys.insert(key)
        if key.hasPrefix("cookie:") { detachConnections(from: session) }
    }

    /// Once a cookie identifies a session, its connection no longer does (pooled connections
    /// are shared by unrelated clients).
    private mutating func detachConnections(from session: Int) {
        guard var state = open[session] else { return }
        state.boundToCookie = true
        for key in state.keys where key.hasPrefix("conn:") {
            if owner[key] == session { owner[key] = nil }
            state.keys.remove(key)
        }
        open[session] = state
    }

    private mutating func bindCookies(of exchange: RecordedExchange, to session: Int) {
        for (name, value) in exchange.responseCookies where name == options.sessionCookie && !value.isEmpty {
            let key = "cookie:" + value
            if owner[key] == nil { attach(key, to: session) }
        }
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
