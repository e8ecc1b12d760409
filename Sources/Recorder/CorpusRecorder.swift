import Foundation
public import Correlation
public import StampedeCore
import Synchronization

/// The recording pipeline: exchanges in, finished sessions appended to a corpus file at once.
///
/// Thread-safe; the proxy calls it from many request handlers. Each finished session is
/// correlated and appended as its own gzip member and fsynced (``CorpusWriter``), so whatever
/// was finished survives a crash of the recorder, and ``flushAll()`` (on Ctrl-C) writes what is
/// still open, in-flight exchanges included as far as they got.
public final class CorpusRecorder: Sendable {
    /// How exchanges are grouped, correlated and redacted.
    public let options: RecordingOptions
    /// The corpus file sessions are appended to.
    public let path: String
    private let writer: CorpusWriter
    private let correlator: Correlator
    private let runID: String
    private let grouper: Mutex<SessionGrouper>
    /// Serializes correlation + append so sessions land in the file in finishing order.
    private let output: Mutex<[Session]>

    /// Opens (or creates with `header`) the corpus at `path` for appending.
    public init(path: String, header: CorpusHeader, options: RecordingOptions = .init()) throws {
        self.options = options
        self.path = path
        writer = try CorpusWriter(appendingTo: path, header: header)
        correlator = Correlator(options: options)
        runID = ClientIdentity.randomRunID()
        grouper = Mutex(SessionGrouper(options: options))
        output = Mutex([])
    }

    /// Every session written so far, in order.
    public var written: [Session] { output.withLock { $0 } }

    /// Sessions still open.
    public var openSessions: Int { grouper.withLock { $0.openCount } }

    /// Starts an exchange (when its request arrives, which fixes its place in the session).
    public func begin(connection: String, cookies: [(name: String, value: String)]) -> SessionGrouper.Ticket {
        let now = Self.nowMs()
        return grouper.withLock { $0.begin(connection: connection, cookies: cookies, atMs: now) }
    }

    /// Records what is known so far of an exchange (its response head).
    public func update(_ ticket: SessionGrouper.Ticket, with exchange: RecordedExchange) {
        grouper.withLock { $0.update(ticket, with: exchange) }
    }

    /// Ends an exchange.
    public func complete(_ ticket: SessionGrouper.Ticket, with exchange: RecordedExchange) {
        grouper.withLock { $0.complete(ticket, with: exchange) }
    }

    /// Adds a finished exchange in one call (HAR import).
    public func add(_ exchange: RecordedExchange) {
        grouper.withLock { $0.add(exchange) }
    }

    /// Groups and writes already finished exchanges (HAR import), oldest first: a session ends
    /// where the next exchange starts more than the idle gap after its last one. Returns the
    /// sessions written.
    @discardableResult
    public func importExchanges(_ exchanges: [RecordedExchange]) throws -> [Session] {
        var sessions: [Session] = []
        for exchange in exchanges.sorted(by: { $0.startedAtMs < $1.startedAtMs }) {
            sessions += try flushIdle(nowMs: exchange.startedAtMs)
            add(exchange)
        }
        return sessions + (try flushAll())
    }

    /// Writes the sessions idle for the idle gap at `nowMs` (default: now); returns them.
    @discardableResult
    public func flushIdle(nowMs: Int64? = nil) throws -> [Session] {
        let now = nowMs ?? Self.nowMs()
        return try write(grouper.withLock { $0.finishIdle(nowMs: now) })
    }

    /// Writes every open session; returns them.
    @discardableResult
    public func flushAll() throws -> [Session] {
        try write(grouper.withLock { $0.finishAll() })
    }

    private func write(_ groups: [SessionGrouper.Group]) throws -> [Session] {
        guard !groups.isEmpty else { return [] }
        return try output.withLock { written in
            var sessions: [Session] = []
            for group in groups {
                let session = correlator.session(id: "rec-\(runID)-\(group.number)", exchanges: group.exchanges)
                try writer.append(session)
                written.append(session)
                sessions.append(session)
            }
            return sessions
        }
    }

    static func nowMs() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000)
    }
}
