import Foundation
import StampedeCore

/// The one way `check`, `mutate` and `replay` load a corpus: a corpus file, or a corpus directory's
/// `baseline.corpus`. Damage is a warning with its byte offset; it is an error only when nothing
/// in the file is readable.
enum CorpusLoading {
    /// With `damageIsError`, any damage is one error line (the count and the first problem)
    /// instead of one warning per damaged record.
    static func load(_ path: String, damageIsError: Bool = false) throws -> Corpus {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CLIError.usage("\(path): no such corpus file or directory")
        }
        let file = isDirectory.boolValue ? CorpusDirectory(path).baselinePath : path
        guard FileManager.default.fileExists(atPath: file) else { throw CLIError.usage("no corpus at \(file)") }
        let corpus = try Corpus.load(path: file)
        if damageIsError, let first = corpus.damages.first {
            throw CLIError.failure("\(file): \(corpus.damages.count) damaged record(s) (see corpus validate), first: \(first)")
        }
        for damage in corpus.damages { Console.note("warning: \(file): \(damage)") }
        if let first = corpus.damages.first, corpus.header == nil, corpus.sessions.isEmpty {
            throw CLIError.failure("\(file): nothing readable (\(first))")
        }
        return corpus
    }
}
