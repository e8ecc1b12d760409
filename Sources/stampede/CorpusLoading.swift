import Foundation
import StampedeCore

/// The one way `check`, `mutate` and `replay` load a corpus: a corpus file, or a corpus directory's
/// `baseline.corpus`. Damage is one warning line (its count and the first, with its byte offset);
/// it is an error only when nothing in the file is readable.
enum CorpusLoading {
    /// Loads a corpus file or directory, reading records up to `maxRecordBytes` long.
    static func load(_ path: String, maxRecordBytes: Int = CorpusReader.defaultMaxRecordBytes) throws -> Corpus {
        let file = try baselineFile(path)
        let corpus = try CorpusReader(path: file, maxRecordBytes: maxRecordBytes).load()
        if let problem = damageSummary(file, corpus.damages, count: corpus.damageCount) {
            if corpus.header == nil && corpus.sessions.isEmpty { throw CLIError.failure(problem) }
            Console.note("warning: " + problem)
        }
        return corpus
    }

    /// The corpus file a path names: the file itself, or a directory's `baseline.corpus`.
    static func baselineFile(_ path: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CLIError.usage("\(path): no such corpus file or directory")
        }
        let file = isDirectory.boolValue ? CorpusDirectory(path).baselinePath : path
        guard FileManager.default.fileExists(atPath: file) else { throw CLIError.usage("no corpus at \(file)") }
        return file
    }

    /// One line for a file's damage: how many regions, and the first (with its byte offset).
    static func damageSummary(_ file: String, _ damages: [CorpusDamage], count: Int) -> String? {
        guard let first = damages.first else { return nil }
        return "\(file): \(count) damaged record(s) (see corpus validate), first: \(first)"
    }
}
