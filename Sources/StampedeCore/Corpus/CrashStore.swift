import Foundation
import Synchronization

/// The crash corpus of a corpus directory: one file per signature, `crashes/<signature>.corpus`,
/// and next to it `crashes/<signature>.sh`, a bash script that reproduces it on its own
/// (`ReproducerScript`).
///
/// Every write is atomic (`CorpusWriter.writeAtomically`: temporary file, fsync, rename), so a
/// process killed at any moment leaves each crash file either as it was or complete with the new
/// content. Saving a signature that already has a file updates it (hits added, first and last
/// sighting widened, the smaller failing request kept) instead of adding a duplicate.
///
/// ```swift
/// let store = CrashStore(directory: CorpusDirectory("corpora/demo").crashesPath)
/// try store.save(finding.crashRecord!)      // created or updated
/// let summary = try store.minimize()        // afl-cmin-like: one record per signature and coverage
/// ```
public final class CrashStore: Sendable {
    /// The `crashes/` directory.
    public let directory: String
    /// Serializes read-modify-write of one process's saves (findings finish triage concurrently).
    private let lock = Mutex(())

    /// How reproducer scripts reach the target; nil: the record's base URL, defaults otherwise.
    public let reproducer: ReproducerSettings?

    /// A store for the crash records in `directory`, created on first save.
    public init(directory: String, reproducer: ReproducerSettings? = nil) {
        self.directory = directory
        self.reproducer = reproducer
    }

    /// What `save` did.
    public enum SaveOutcome: String, Sendable {
        case created, updated
    }

    /// The file of a signature.
    public func path(signature: String) -> String {
        directory + "/" + signature + ".corpus"
    }

    /// The reproducer script of a signature.
    public func scriptPath(signature: String) -> String {
        directory + "/" + signature + ".sh"
    }

    /// Writes a record atomically, its reproducer script first (each file is whole or absent).
    func write(_ record: Session, header: CorpusHeader, to path: String) throws {
        let settings = reproducer ?? ReproducerSettings(baseURL: header.baseURL ?? "http://127.0.0.1:8080")
        if let signature = record.crash?.signature {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let script = ReproducerScript.render(record, settings: settings)
            do { try FileIO.writeAtomically(path: scriptPath(signature: signature), bytes: Array(script.utf8), mode: 0o755) } catch {
                throw CorpusError(path: scriptPath(signature: signature), reason: "cannot write: \(error)")
            }
        }
        try CorpusWriter.writeAtomically(path: path, header: header, sessions: [record])
    }

    /// Writes a crash record, or folds it into the existing record of its signature.
    ///
    /// - Throws: `CorpusError` when the file cannot be written.
    @discardableResult
    public func save(_ record: Session, baseURL: String? = nil) throws -> (path: String, outcome: SaveOutcome) {
        guard let crash = record.crash else { throw CorpusError(path: directory, reason: "not a crash record: \(record.id)") }
        let path = path(signature: crash.signature)
        return try lock.withLock { _ in
            let existing = Self.records(in: path).first { $0.crash?.signature == crash.signature }
            let merged = existing.map { Self.combine($0, record) } ?? record
            let header = (try? CorpusReader(path: path).load().header) ?? CorpusHeader(baseURL: baseURL, name: "crashes")
            try write(merged, header: header, to: path)
            return (path, existing == nil ? .created : .updated)
        }
    }

    /// Sets the last sighting of a record (a regression that still fails).
    public func markSeen(signature: String, at time: String) throws {
        let path = path(signature: signature)
        try lock.withLock { _ in
            guard let corpus = try? CorpusReader(path: path).load(), corpus.damages.isEmpty else { return }
            var sessions = corpus.sessions
            for i in sessions.indices where sessions[i].crash?.signature == signature {
                if time > (sessions[i].crash?.lastSeen ?? "") { sessions[i].crash?.lastSeen = time }
            }
            try CorpusWriter.writeAtomically(
                path: path, header: corpus.header ?? CorpusHeader(baseURL: nil, name: "crashes"), sessions: sessions)
        }
    }

    /// Every crash record of the directory with its file; damaged files are reported, their
    /// readable records kept.
    public func load() -> (records: [(session: Session, file: String)], problems: [String]) {
        var records: [(Session, String)] = []
        var problems: [String] = []
        for file in Self.corpusFiles(in: directory) {
            do {
                let corpus = try CorpusReader(path: file).load()
                for damage in corpus.damages { problems.append("\(file): \(damage)") }
                for session in corpus.sessions where session.crash != nil { records.append((session, file)) }
            } catch {
                problems.append("\(file): \(error)")
            }
        }
        return (records, problems)
    }

    /// What `minimize` did.
    public struct MinimizeSummary: Sendable, Equatable {
        /// Crash records read.
        public var records: Int
        /// Records (files) left.
        public var kept: Int
        /// Files deleted or rewritten into another.
        public var removedFiles: Int
    }

    /// Drops redundant crash records, like `afl-cmin`: one record per signature, and of the
    /// records covering the same endpoint and failure (class, and the status of a server error) only the one
    /// with the smallest failing request. Hits of the dropped records are added to the kept one.
    ///
    /// Kept records are written first (atomically), redundant files deleted after, so an
    /// interrupted run loses nothing.
    public func minimize() throws -> MinimizeSummary {
        try lock.withLock { _ in
            let files = Self.corpusFiles(in: directory)
            var all: [Session] = []
            for file in files { all += Self.records(in: file) }
            var order: [String] = []
            var byCoverage: [String: Session] = [:]
            for record in all {
                guard let crash = record.crash else { continue }
                // A dropped connection's CURLcode depends on timing; the class is the coverage.
                let failure = crash.failureClass == CrashInfo.transportClass ? "" : crash.failure
                let key = crash.endpoint + "\u{1F}" + crash.failureClass + "\u{1F}" + failure
                if let existing = byCoverage[key] {
                    byCoverage[key] = Self.combine(existing, record)
                } else {
                    order.append(key)
                    byCoverage[key] = record
                }
            }
            var keptPaths = Set<String>()
            for key in order {
                guard let record = byCoverage[key], let signature = record.crash?.signature else { continue }
                let path = path(signature: signature)
                keptPaths.insert(path)
                let header = (try? CorpusReader(path: path).load().header) ?? CorpusHeader(baseURL: nil, name: "crashes")
                try write(record, header: header, to: path)
            }
            var removed = 0
            for file in files where !keptPaths.contains(file) {
                if unlink(file) == 0 { removed += 1 }
                unlink(String(file.dropLast(".corpus".count)) + ".sh")
            }
            // Temporary files a killed writer left behind (never a record anyone reads).
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for name in names where name.contains(".corpus.tmp-") || name.contains(".sh.tmp-") { unlink(directory + "/" + name) }
            return MinimizeSummary(records: all.count, kept: keptPaths.count, removedFiles: removed)
        }
    }

    /// One record from two of the same bug: hits added per sighting (one seen in both counts once),
    /// the earliest first and latest last sighting, and the steps and details of the one with the
    /// smaller failing request.
    public static func combine(_ a: Session, _ b: Session) -> Session {
        guard let ca = a.crash, let cb = b.crash else { return a }
        var kept = failingSize(b) < failingSize(a) ? b : a
        // The same sighting merged twice (a source merged again, a shard's directory copied twice) counts once.
        let sightings = ca.sightingHits.merging(cb.sightingHits, uniquingKeysWith: max)
        kept.crash?.sightings = sightings
        kept.crash?.hits = sightings.values.reduce(0, +)
        kept.crash?.firstSeen = min(ca.firstSeen, cb.firstSeen)
        kept.crash?.lastSeen = max(ca.lastSeen, cb.lastSeen)
        // A record written before body checks were kept borrows the other's.
        let bodyCheck = kept.crash?.bodyCheck ?? ca.bodyCheck ?? cb.bodyCheck
        kept.crash?.bodyCheck = bodyCheck
        return kept
    }

    /// Bytes of a record's failing (last) request as JSON: what "smallest" compares.
    public static func failingSize(_ session: Session) -> Int {
        guard let step = session.steps.last else { return Int.max }
        return (try? CorpusWriter.encode(step.request).count) ?? Int.max
    }

    static func records(in path: String) -> [Session] {
        guard FileManager.default.fileExists(atPath: path), let corpus = try? CorpusReader(path: path).load() else { return [] }
        return corpus.sessions.filter { $0.crash != nil }
    }

    static func corpusFiles(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".corpus") }.sorted().map { directory + "/" + $0 }
    }
}
