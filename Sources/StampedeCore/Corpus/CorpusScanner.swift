import Foundation

/// One pass of ``CorpusReader/read(_:)`` over a corpus file: reads it in chunks, inflates gzip
/// members, hands out the lines of each verified member and resynchronises after damage.
///
/// `chunkStart` (the file offset of `chunk[0]`) is set in one place, `load(at:)`.
struct CorpusScanner {
    let path: String
    let verifyLimit: Int
    private let fd: Int32
    private let fileSize: Int
    private let inflater: GzipInflater
    private var scan: CorpusScan
    private var lines = LineSplitter()
    private var chunk = [UInt8](repeating: 0, count: 256 * 1024)
    private var chunkStart = 0
    private var chunkCount = 0
    /// Within `chunk`.
    private var position = 0
    /// File offset of the gzip member being inflated.
    private var memberStart = 0
    /// Lines handed out so far (0-based; people read `lineIndex + 1`).
    private var lineIndex = 0

    init(path: String, verifyLimit: Int) throws {
        self.path = path
        self.verifyLimit = verifyLimit
        do { fd = try FileIO.open(path, flags: O_RDONLY) } catch {
            throw CorpusError(path: path, reason: "cannot open: \(error)")
        }
        fileSize = (try? FileIO.size(fd)) ?? 0
        do { inflater = try GzipInflater() } catch {
            FileIO.close(fd)
            throw CorpusError(path: path, reason: "\(error)")
        }
        scan = CorpusScan(header: nil, sessionCount: 0, damages: [], compressedBytes: fileSize, uncompressedBytes: 0, members: 0)
    }

    /// Closes the file; call once, when the scan is done.
    func close() {
        FileIO.close(fd)
    }

    /// Calls `body` for each record in file order; returns what the pass found.
    mutating func scan(_ body: (CorpusRecord) throws -> Void) throws -> CorpusScan {
        try load(at: 0)
        while chunkCount > 0 {
            if !inflater.isInsideMember { memberStart = chunkStart + position }
            let before = lines.pendingBytes
            let step: GzipInflater.Step
            do {
                step = try inflater.inflate(chunk[position..<chunkCount], appendingTo: &lines.pending)
            } catch {
                try resynchronise(after: error)
                continue
            }
            scan.uncompressedBytes += lines.pendingBytes - before
            position += step.consumed
            if step.memberEnded {
                scan.members += 1
                inflater.reset()
                try handle(lines.takeCompleteLines(), body)
            } else if lines.pendingBytes > verifyLimit {
                try handle(lines.takeCompleteLines(), body)
            }
            if position == chunkCount { try load(at: chunkStart + chunkCount) }
        }
        try finish(body)
        return scan
    }

    /// Reads the chunk that starts at file offset `offset` (`chunkCount` 0 at the end of the file).
    private mutating func load(at offset: Int) throws {
        chunkStart = offset
        position = 0
        do {
            chunkCount = try chunk.withUnsafeMutableBytes { raw in try FileIO.read(fd, into: raw) }
        } catch {
            throw CorpusError(path: path, reason: "read failed: \(error)")
        }
    }

    /// Damage: drops what the member produced, reports it, and continues at the next gzip header.
    private mutating func resynchronise(after error: ZlibError) throws {
        lines.discardPending()
        scan.damages.append(CorpusDamage(kind: .corrupt, byteOffset: memberStart, detail: "gzip member does not inflate (\(error.message))"))
        inflater.reset()
        guard let next = try nextMagic(after: memberStart) else {
            chunkCount = 0  // nothing readable follows: the scan ends
            position = 0
            return
        }
        try seek(to: next)
        try load(at: next)
    }

    /// End of file: a member cut short keeps its complete lines and is reported as truncated.
    private mutating func finish(_ body: (CorpusRecord) throws -> Void) throws {
        if inflater.isInsideMember {
            // Deflate output before the cut is sound: keep its complete lines, lose the partial one.
            try handle(lines.takeCompleteLines(), body)
            lines.discardPending()
            scan.damages.append(CorpusDamage(kind: .truncated, byteOffset: memberStart, detail: "the file ends at byte \(fileSize) inside the gzip member that starts here; the record being written there is lost"))
        } else if let last = lines.takeTrailing() {
            try handle([last], body)
        }
    }

    private mutating func handle(_ batch: [ArraySlice<UInt8>], _ body: (CorpusRecord) throws -> Void) throws {
        for line in batch {
            defer { lineIndex += 1 }
            try handle(line, body)
        }
    }

    /// One line: the header (line 1, or before any session), a session, or damage.
    private mutating func handle(_ line: ArraySlice<UInt8>, _ body: (CorpusRecord) throws -> Void) throws {
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
            scan.damages.append(CorpusDamage(kind: .invalidRecord, byteOffset: memberStart, detail: "line \(lineIndex + 1): \(CorpusReader.describe(error))"))
        }
    }

    private func seek(to offset: Int) throws {
        do { try FileIO.seek(fd, to: offset) } catch { throw CorpusError(path: path, reason: "\(error)") }
    }

    /// Finds the next gzip member header (`1f 8b 08`) strictly after `offset`.
    private func nextMagic(after offset: Int) throws -> Int? {
        var start = offset + 1
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while start < fileSize {
            try seek(to: start)
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
}
