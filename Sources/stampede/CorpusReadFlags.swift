import ArgumentParser
import Foundation
import StampedeCore

/// `--max-record SIZE`, on every command that reads corpora: the longest record (one JSON line)
/// read. A longer one is skipped while it inflates and reported as damage with its byte offset.
struct CorpusReadFlags: ParsableArguments {
    @Option(
        name: .customLong("max-record"),
        help: ArgumentHelp("Longest corpus record read: bytes, or a number with KiB, MiB or GiB (default 64MiB).", valueName: "size"))
    var maxRecord: ByteCount = ByteCount(CorpusReader.defaultMaxRecordBytes)

    /// A reader of `path` with these limits.
    func reader(_ path: String) -> CorpusReader {
        CorpusReader(path: path, maxRecordBytes: maxRecord.bytes)
    }
}

/// A size on the command line: `1048576`, `512KiB`, `64MiB`, `1GiB` (`K`, `M`, `G`, `KB`… are
/// read as binary units too).
struct ByteCount: ExpressibleByArgument, Sendable {
    var bytes: Int

    init(_ bytes: Int) {
        self.bytes = bytes
    }

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).lowercased()
        let digits = text.prefix { $0.isNumber }
        let unit = text.dropFirst(digits.count)
        let shifts: [String: Int] = ["": 0, "b": 0, "k": 10, "kb": 10, "kib": 10, "m": 20, "mb": 20, "mib": 20, "g": 30, "gb": 30, "gib": 30]
        guard let value = Int(digits), value > 0, let shift = shifts[String(unit)], value <= Int(Int32.max) else { return nil }
        bytes = value << shift
    }

    /// The size in the largest binary unit that divides it (`64MiB`, `16KiB`), as `--help` shows a default.
    var defaultValueDescription: String {
        for (unit, shift) in [("GiB", 30), ("MiB", 20), ("KiB", 10)] where bytes >= 1 << shift && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift)\(unit)"
        }
        return "\(bytes)"
    }
}
