import Foundation

/// Turns the lines of a corpus file into records, counting lines and recording damage.
struct RecordDecoder {
    let path: String
    let maxRecordBytes: Int
    /// 0-based index of the next line.
    private var lineIndex = 0

    init(path: String, maxRecordBytes: Int) {
        self.path = path
        self.maxRecordBytes = maxRecordBytes
    }

    /// Decodes `line` and hands its record to `body`. A session line is decoded only when `admit()`
    /// says so; one it turns down is counted in `scan.sessionCount` unread.
    mutating func handle(
        _ line: SplitLine, memberStart: Int, scan: inout CorpusScan, admit: () -> Bool, body: (CorpusRecord) throws -> Void
    ) throws {
        defer { lineIndex += 1 }
        let bytes: ArraySlice<UInt8>
        switch line {
        case .oversized(let size):
            let detail = "line \(lineIndex + 1) is \(ReportText.grouped(size)) bytes (--max-record \(ReportText.grouped(maxRecordBytes))); skipped unread"
            return scan.record(CorpusDamage(kind: .oversized, byteOffset: memberStart, detail: detail))
        case .line(let content):
            bytes = content
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) { return }
        if scan.header == nil, lineIndex == 0 || scan.sessionCount == 0,
            let header = try? JSONDecoder().decode(CorpusHeader.self, from: Data(bytes)),
            header.format == CorpusHeader.formatName
        {
            guard header.version <= CorpusHeader.currentVersion else {
                throw CorpusError(path: path, reason: "corpus format version \(header.version) is newer than this tool supports (\(CorpusHeader.currentVersion))")
            }
            scan.header = header
            try body(.header(header))
            return
        }
        guard admit() else {
            scan.sessionCount += 1
            return
        }
        do {
            let session = try JSONDecoder().decode(Session.self, from: Data(bytes))
            do { try session.validate() } catch { return scan.record(error.damages(at: memberStart, line: lineIndex + 1)) }
            scan.sessionCount += 1
            try body(.session(session))
        } catch let error as DecodingError {
            scan.record(CorpusDamage(kind: .invalidRecord, byteOffset: memberStart, detail: "line \(lineIndex + 1): \(CorpusReader.describe(error))"))
        }
    }
}
