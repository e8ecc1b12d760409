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
    /// Sessions that decoded.
    public var sessionCount: Int
    /// Damaged regions, in file order; empty for a sound file. At most
    /// ``CorpusReader/keptDamages`` are kept (memory stays bounded); ``damageCount`` counts all.
    public var damages: [CorpusDamage]
    /// Every damaged region found, kept or not.
    public var damageCount: Int
    /// Size of the file on disk.
    public var compressedBytes: Int
    /// Bytes after inflating every member.
    public var uncompressedBytes: Int
    /// Gzip members in the file.
    public var members: Int

    mutating func record(_ damage: CorpusDamage) {
        damageCount += 1
        if damages.count < CorpusReader.keptDamages { damages.append(damage) }
    }

    mutating func record(_ more: [CorpusDamage]) {
        for damage in more { record(damage) }
    }
}

/// Streams the records of a corpus file (gzip members of JSON Lines) in bounded memory.
///
/// Records are handed out a gzip member at a time, once the member's CRC has been checked, so
/// damaged data is never mistaken for a record. A damaged member is reported as a
/// ``CorpusDamage`` with its byte offset and the reader resynchronises on the next gzip header,
/// so the records after the damage are read too. Members larger than `verifyLimit` are streamed
/// line by line before their CRC is known, which keeps memory bounded for foreign files. A line
/// longer than `maxRecordBytes` is skipped while it inflates (never held whole) and reported as
/// ``CorpusDamage/Kind/oversized``: a gzip bomb costs time, not memory.
///
/// ```swift
/// let scan = try CorpusReader(path: "corpora/demo/baseline.corpus").read { record in … }
/// for damage in scan.damages { print(damage) }
/// ```
public struct CorpusReader: Sendable {
    /// The default longest record (one JSON line): 64 MiB.
    public static let defaultMaxRecordBytes = 64 << 20
    /// Damage entries a scan keeps (the count goes on).
    public static let keptDamages = 1_000
    /// Most inflated bytes produced between two looks at the line buffer.
    static let inflateBudget = 1 << 20

    /// The corpus file.
    public let path: String
    /// Members up to this size have their CRC checked.
    public var verifyLimit = 8 << 20
    /// The longest record read, in bytes (`--max-record`).
    public var maxRecordBytes: Int

    /// A reader of `path` that refuses records longer than `maxRecordBytes`.
    public init(path: String, maxRecordBytes: Int = CorpusReader.defaultMaxRecordBytes) {
        self.path = path
        self.maxRecordBytes = maxRecordBytes
    }

    /// Calls `body` for each record in file order.
    /// - Throws: ``CorpusError`` when the file cannot be opened or read at all, or whatever
    ///   `body` throws. Damage inside the file is returned in the scan, not thrown.
    @discardableResult
    public func read(_ body: (CorpusRecord) throws -> Void) throws -> CorpusScan {
        try read(admitting: { true }, body)
    }

    /// Like ``read(_:)``, but a session line is decoded (and checked) only when `admit` returns true;
    /// `admit` is asked once per session line, in file order. A sampler that keeps a few sessions of a
    /// huge corpus then costs what inflating it costs: framing damage (CRC, truncation, oversized
    /// lines) is still found everywhere, a bad record only in the lines admitted.
    @discardableResult
    public func read(admitting admit: () -> Bool, _ body: (CorpusRecord) throws -> Void) throws -> CorpusScan {
        let file = try ChunkedFile(path: path)
        defer { file.close() }
        var scan = CorpusScan(header: nil, sessionCount: 0, damages: [], damageCount: 0, compressedBytes: file.size, uncompressedBytes: 0, members: 0)
        var lines = LineSplitter(maxLine: maxRecordBytes)
        var decoder = RecordDecoder(path: path, maxRecordBytes: maxRecordBytes)
        var memberStart = 0
        let inflater: GzipInflater
        do { inflater = try GzipInflater() } catch { throw CorpusError(path: path, reason: "\(error)") }
        func handle(_ line: SplitLine) throws { try decoder.handle(line, memberStart: memberStart, scan: &scan, admit: admit, body: body) }

        while try file.hasInput() {
            if !inflater.isInsideMember { memberStart = file.offset }
            let step: GzipInflater.Step
            do {
                step = try inflater.inflate(file.remaining, outputBudget: Self.inflateBudget) { out in
                    scan.uncompressedBytes += out.count
                    lines.append(out)
                }
            } catch {
                // Damage: drop what this member produced, report, resync on the next gzip magic.
                lines.discardPending()
                scan.record(CorpusDamage(kind: .corrupt, byteOffset: memberStart, detail: "gzip member does not inflate (\(error.message))"))
                inflater.reset()
                try file.skip(to: try nextMagic(file, after: memberStart))
                continue
            }
            file.consume(step.consumed)
            if step.memberEnded {
                scan.members += 1
                inflater.reset()
                try lines.commitCompleteLines(handle)
            } else if lines.pendingBytes > verifyLimit {
                try lines.commitCompleteLines(handle)
            }
        }
        if inflater.isInsideMember {
            // Deflate output before the cut is sound: keep its complete lines, lose the partial one.
            try lines.commitCompleteLines(handle)
            lines.discardPending()
            scan.record(CorpusDamage(kind: .truncated, byteOffset: memberStart, detail: "the file ends at byte \(file.size) inside the gzip member that starts here; the record being written there is lost"))
        } else {
            try lines.flushTrailing(handle)
        }
        return scan
    }

    /// Reads the whole file into memory: header, sessions and damage.
    public func load() throws -> Corpus {
        var sessions: [Session] = []
        let scan = try read { record in
            if case .session(let session) = record { sessions.append(session) }
        }
        return Corpus(path: path, header: scan.header, sessions: sessions, damages: scan.damages, damageCount: scan.damageCount)
    }

    /// Finds the next gzip member header (`1f 8b 08`) strictly after `offset`; nil when none.
    private func nextMagic(_ file: ChunkedFile, after offset: Int) throws -> Int? {
        var start = offset + 1
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while start < file.size {
            let n = try file.read(at: start, into: &buffer)
            if n < 3 { return nil }
            for i in 0..<(n - 2) where buffer[i] == 0x1F && buffer[i + 1] == 0x8B && buffer[i + 2] == 0x08 {
                return start + i
            }
            start += n - 2
        }
        return nil
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
