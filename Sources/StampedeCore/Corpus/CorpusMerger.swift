import Foundation

/// Combines corpora from several runs or machines into one directory without duplicates.
///
/// Crash records are folded in by signature (`CrashStore.save`: hits added, earliest first and
/// latest last sighting, the smaller failing request). Baseline sessions are added unless the
/// destination already holds one with the same content; a different session under a taken id
/// gets the id with a `-2`, `-3`… suffix.
public enum CorpusMerger {
    /// What a merge did.
    public struct Summary: Sendable, Equatable {
        /// Crash records new to the destination.
        public var crashesCreated = 0
        /// Crash records the destination had, folded together with a source's.
        public var crashesUpdated = 0
        /// Baseline sessions added.
        public var sessionsAdded = 0
        /// Baseline sessions the destination already held.
        public var sessionsSkipped = 0
        /// Damage found in the sources (their readable records were merged).
        public var problems: [String] = []
    }

    /// Merges `sources` (corpus directories, `crashes/` directories or corpus files) into the
    /// corpus directory `destination`.
    ///
    /// - Throws: `CorpusError` when the destination cannot be written.
    public static func merge(sources: [String], into destination: String) throws -> Summary {
        var summary = Summary()
        let target = CorpusDirectory(destination)
        let store = CrashStore(directory: target.crashesPath)
        var baseline: [Session] = []
        var header: CorpusHeader?
        if FileManager.default.fileExists(atPath: target.baselinePath) {
            let corpus = try Corpus.load(path: target.baselinePath)
            baseline = corpus.sessions
            header = corpus.header
        }
        let before = baseline.count
        for source in sources {
            for file in files(of: source) {
                let corpus: Corpus
                do { corpus = try Corpus.load(path: file) } catch {
                    summary.problems.append("\(file): \(error)")
                    continue
                }
                for damage in corpus.damages { summary.problems.append("\(file): \(damage)") }
                for session in corpus.sessions {
                    if session.crash != nil {
                        let (_, outcome) = try store.save(session, baseURL: corpus.header?.baseURL)
                        if outcome == .created { summary.crashesCreated += 1 } else { summary.crashesUpdated += 1 }
                    } else if add(session, to: &baseline) {
                        if header == nil { header = corpus.header }
                    } else {
                        summary.sessionsSkipped += 1
                    }
                }
            }
        }
        summary.sessionsAdded = baseline.count - before
        if summary.sessionsAdded > 0 {
            try CorpusWriter.writeAtomically(
                path: target.baselinePath, header: header ?? CorpusHeader(baseURL: nil, name: "merged"), sessions: baseline)
        }
        return summary
    }

    /// Adds a session unless one with the same content is there; returns whether it was added.
    static func add(_ session: Session, to baseline: inout [Session]) -> Bool {
        func sameContent(_ a: Session, _ b: Session) -> Bool {
            var b = b
            b.id = a.id
            return a == b
        }
        if baseline.contains(where: { sameContent($0, session) }) { return false }
        var added = session
        var n = 2
        while baseline.contains(where: { $0.id == added.id }) {
            added.id = session.id + "-\(n)"
            n += 1
        }
        baseline.append(added)
        return true
    }

    /// The corpus files of a source: a file itself; a corpus directory's baseline and crash
    /// files; or a directory's own `*.corpus` files (a `crashes/` directory).
    static func files(of source: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return [source] }
        let dir = CorpusDirectory(source)
        var files = FileManager.default.fileExists(atPath: dir.baselinePath) ? [dir.baselinePath] : []
        files += dir.crashFiles()
        if files.isEmpty { files = CrashStore.corpusFiles(in: source) }
        return files
    }
}
