import Foundation

/// One line of a corpus file.
public enum CorpusRecord: Sendable {
    case header(CorpusHeader)
    case session(Session)
}

/// What a full pass over a corpus file found.
public struct CorpusScan: Sendable {
    /// The header line; nil when the file has none.
    public var header: CorpusHeader?
    /// Sessions read (damaged ones are not counted).
    public var sessionCount: Int
    /// Damaged regions, in file order; empty for a sound file.
    public var damages: [CorpusDamage]
    /// The size of the file.
    public var compressedBytes: Int
    /// Bytes after inflating (the JSON Lines).
    public var uncompressedBytes: Int
    /// Complete gzip members read.
    public var members: Int
}

/// Streams the records of a corpus file (gzip members of JSON Lines) in bounded memory.
///
/// Records are handed out a gzip member at a time, once the member's CRC has been checked, so
/// damaged data is never mistaken for a record. A damaged member is reported as a
/// ``CorpusDamage`` with its byte offset and the reader resynchronises on the next gzip header,
/// so the records after the damage are read too. Members larger than `verifyLimit` are streamed
/// line by line before their CRC is known, which keeps memory bounded for foreign files.
///
/// ```swift
/// let scan = try CorpusReader(path: "corpora/demo/baseline.corpus").read { record in … }
/// for damage in scan.damages { print(damage) }
/// ```
public struct CorpusReader: Sendable {
    /// The corpus file.
    public let path: String
    /// Uncompressed bytes of a member held until its CRC is checked; larger members are streamed.
    public var verifyLimit = 8 << 20

    /// A reader for the corpus file at `path` (opened by `read`).
    public init(path: String) {
        self.path = path
    }

    /// Calls `body` for each record in file order.
    /// - Throws: ``CorpusError`` when the file cannot be opened or read at all, or whatever
    ///   `body` throws. Damage inside the file is returned in the scan, not thrown.
    @discardableResult
    public func read(_ body: (CorpusRecord) throws -> Void) throws -> CorpusScan {
        var scanner = try CorpusScanner(path: path, verifyLimit: verifyLimit)
        defer { scanner.close() }
        return try scanner.scan(body)
    }

    /// Reads the whole file into memory: header, sessions and damage.
    public func load() throws -> Corpus {
        var sessions: [Session] = []
        let scan = try read { record in
            if case .session(let session) = record { sessions.append(session) }
        }
        return Corpus(path: path, header: scan.header, sessions: sessions, damages: scan.damages)
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context): "not valid JSON (\(context.debugDescription))"
        case .keyNotFound(let key, _): "missing field '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            "wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        @unknown default: "\(error)"
        }
    }
}

/// Splits inflated bytes into lines, holding a member's lines until it is verified.
struct LineSplitter {
    /// Bytes of the member being inflated (not yet verified).
    var pending: [UInt8] = []
    /// A line that started in an earlier, verified member and has not ended yet.
    private var carry: [UInt8] = []

    var pendingBytes: Int { pending.count }

    mutating func discardPending() {
        pending.removeAll(keepingCapacity: true)
        carry.removeAll()
    }

    /// The member (or the part of it inflated so far) is trusted: its complete lines, in order;
    /// an unfinished last line is kept for the next call.
    mutating func takeCompleteLines() -> [ArraySlice<UInt8>] {
        var all = carry
        all.append(contentsOf: pending)
        carry.removeAll(keepingCapacity: true)
        pending.removeAll(keepingCapacity: true)
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        while let nl = all[start...].firstIndex(of: 0x0A) {
            lines.append(all[start..<nl])
            start = nl + 1
        }
        carry = Array(all[start...])
        return lines
    }

    /// End of input: a final line without a newline still counts if its member was verified.
    mutating func takeTrailing() -> ArraySlice<UInt8>? {
        guard !carry.isEmpty else { return nil }
        defer { carry.removeAll() }
        return carry[...]
    }
}
