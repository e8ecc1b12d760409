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
        let fd: Int32
        do { fd = try FileIO.open(path, flags: O_RDONLY) } catch {
            throw CorpusError(path: path, reason: "cannot open: \(error)")
        }
        defer { FileIO.close(fd) }
        let fileSize = (try? FileIO.size(fd)) ?? 0

        var scan = CorpusScan(header: nil, sessionCount: 0, damages: [], compressedBytes: fileSize, uncompressedBytes: 0, members: 0)
        var lines = LineSplitter()
        var memberStart = 0
        var fileOffset = 0  // offset of chunk[0]
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        var chunkCount = 0
        var position = 0  // within chunk
        var lineIndex = 0
        let inflater: GzipInflater
        do { inflater = try GzipInflater() } catch { throw CorpusError(path: path, reason: "\(error)") }

        func handle(_ line: ArraySlice<UInt8>) throws {
            defer { lineIndex += 1 }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) { return }
            let data = Data(line)
            if scan.header == nil, lineIndex == 0 || scan.sessionCount == 0,
                let header = try? JSONDecoder().decode(CorpusHeader.self, from: data),
                header.format == CorpusHeader.formatName
            {
                guard header.version <= CorpusHeader.currentVersion else {
                    throw CorpusError(path: path, reason: "corpus format version \(header.version) is newer than this tool supports (\(CorpusHeader.currentVersion))")
                }
                scan.header = header
                try body(.header(header))
                return
            }
            do {
                let session = try JSONDecoder().decode(Session.self, from: data)
                do { try session.validate() } catch { return scan.damages += error.damages(at: memberStart, line: lineIndex + 1) }
                scan.sessionCount += 1
                try body(.session(session))
            } catch let error as DecodingError {
                scan.damages.append(CorpusDamage(kind: .invalidRecord, byteOffset: memberStart, detail: "line \(lineIndex + 1): \(Self.describe(error))"))
            }
        }

        func refill() throws {
            fileOffset += chunkCount
            position = 0
            do {
                chunkCount = try chunk.withUnsafeMutableBytes { raw in try FileIO.read(fd, into: raw) }
            } catch {
                throw CorpusError(path: path, reason: "read failed: \(error)")
            }
        }

        try refill()
        while true {
            if position == chunkCount {
                try refill()
                if chunkCount == 0 { break }
            }
            if !inflater.isInsideMember {
                memberStart = fileOffset + position
            }
            let step: GzipInflater.Step
            do {
                step = try inflater.inflate(chunk[position..<chunkCount]) { out in
                    scan.uncompressedBytes += out.count
                    lines.append(out)
                }
            } catch {
                // Damage: drop what this member produced, report, resync on the next gzip magic.
                lines.discardPending()
                scan.damages.append(CorpusDamage(kind: .corrupt, byteOffset: memberStart, detail: "gzip member does not inflate (\(error.message))"))
                inflater.reset()
                guard let next = try nextMagic(fd: fd, after: memberStart, fileSize: fileSize) else {
                    fileOffset = fileSize
                    chunkCount = 0
                    position = 0
                    break
                }
                try seek(fd, to: next)
                fileOffset = next
                chunkCount = 0
                position = 0
                try refill()
                fileOffset = next
                continue
            }
            position += step.consumed
            if step.memberEnded {
                scan.members += 1
                inflater.reset()
                try lines.commit(handle)
            } else if lines.pendingBytes > verifyLimit {
                try lines.commitCompleteLines(handle)
            }
        }
        if inflater.isInsideMember {
            // Deflate output before the cut is sound: keep its complete lines, lose the partial one.
            try lines.commitCompleteLines(handle)
            lines.discardPending()
            scan.damages.append(CorpusDamage(kind: .truncated, byteOffset: memberStart, detail: "the file ends at byte \(fileSize) inside the gzip member that starts here; the record being written there is lost"))
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
        return Corpus(path: path, header: scan.header, sessions: sessions, damages: scan.damages)
    }

    private func seek(_ fd: Int32, to offset: Int) throws {
        do { try FileIO.seek(fd, to: offset) } catch { throw CorpusError(path: path, reason: "\(error)") }
    }

    /// Finds the next gzip member header (`1f 8b 08`) strictly after `offset`.
    private func nextMagic(fd: Int32, after offset: Int, fileSize: Int) throws -> Int? {
        var start = offset + 1
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while start < fileSize {
            try seek(fd, to: start)
            let n: Int
            do { n = try buffer.withUnsafeMutableBytes { try FileIO.read(fd, into: $0) } } catch {
                throw CorpusError(path: path, reason: "read failed: \(error)")
            }
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

/// Splits inflated bytes into lines, holding a member's lines until it is verified.
struct LineSplitter {
    /// Bytes of the member being inflated (not yet verified).
    private var pending: [UInt8] = []
    /// A line that started in an earlier, verified member and has not ended yet.
    private var carry: [UInt8] = []

    var pendingBytes: Int { pending.count }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        pending.append(contentsOf: bytes)
    }

    mutating func discardPending() {
        pending.removeAll(keepingCapacity: true)
        carry.removeAll()
    }

    /// The member is verified: hand out its complete lines.
    mutating func commit(_ handle: (ArraySlice<UInt8>) throws -> Void) throws {
        try commitCompleteLines(handle)
    }

    mutating func commitCompleteLines(_ handle: (ArraySlice<UInt8>) throws -> Void) throws {
        var start = 0
        var all = carry
        all.append(contentsOf: pending)
        carry.removeAll(keepingCapacity: true)
        pending.removeAll(keepingCapacity: true)
        while let nl = all[start...].firstIndex(of: 0x0A) {
            try handle(all[start..<nl])
            start = nl + 1
        }
        carry = Array(all[start...])
    }

    /// End of input: a final line without a newline still counts if its member was verified.
    mutating func flushTrailing(_ handle: (ArraySlice<UInt8>) throws -> Void) throws {
        if !carry.isEmpty {
            try handle(carry[...])
            carry.removeAll()
        }
    }
}
