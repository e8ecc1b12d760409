import Foundation

/// A corpus file loaded into memory.
public struct Corpus: Sendable {
    /// The file it was read from.
    public var path: String
    /// The header line; nil when the file has none.
    public var header: CorpusHeader?
    /// Every session that could be read, in file order.
    public var sessions: [Session]
    /// Damaged regions, in file order; empty for a sound file.
    public var damages: [CorpusDamage]

    /// A corpus as read from `path`.
    public init(path: String, header: CorpusHeader?, sessions: [Session], damages: [CorpusDamage] = []) {
        self.path = path
        self.header = header
        self.sessions = sessions
        self.damages = damages
    }

    /// Loads a corpus file.
    public static func load(path: String) throws -> Corpus {
        try CorpusReader(path: path).load()
    }
}

/// The on-disk layout of a named corpus: `corpora/<name>/baseline.corpus` and
/// `corpora/<name>/crashes/<signature>.corpus`.
public struct CorpusDirectory: Sendable {
    /// The corpus directory (`corpora/<name>`).
    public var root: String

    /// `path` may be the directory or its `baseline.corpus`.
    public init(_ path: String) {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue {
            root = (path as NSString).deletingLastPathComponent
            if root.isEmpty { root = "." }
        } else {
            root = path
        }
    }

    /// The baseline corpus file of the directory.
    public var baselinePath: String { root + "/baseline.corpus" }
    /// The directory of crash records.
    public var crashesPath: String { root + "/crashes" }

    /// The crash record file for a failure signature.
    public func crashPath(signature: String) -> String {
        crashesPath + "/" + signature + ".corpus"
    }

    /// Paths of every crash corpus, sorted.
    public func crashFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: crashesPath)) ?? []
        return names.filter { $0.hasSuffix(".corpus") }.sorted().map { crashesPath + "/" + $0 }
    }
}
