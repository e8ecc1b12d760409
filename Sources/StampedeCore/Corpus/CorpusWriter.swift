import Foundation

/// Appends sessions to a corpus file, each call as new gzip members, synced to disk.
///
/// A crash while writing loses at most the member being written: every earlier member is
/// complete, and the reader reports the cut one with its byte offset.
public struct CorpusWriter: Sendable {
    /// The corpus file.
    public let path: String
    /// Uncompressed bytes per gzip member at most (a single larger record gets its own member).
    public var memberLimit = 1 << 20

    /// Opens `path` for appending, creating it with `header` when it does not exist or is empty.
    public init(appendingTo path: String, header: @autoclosure () -> CorpusHeader) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let fd = try Self.openAppend(path)
        defer { FileIO.close(fd) }
        let size = (try? FileIO.size(fd)) ?? 0
        if size == 0 {
            try Self.write(fd: fd, path: path, lines: [try Self.encode(header())])
        }
    }

    /// Appends sessions (one JSON line each), then fsyncs.
    public func append(_ sessions: [Session]) throws {
        guard !sessions.isEmpty else { return }
        let lines = try sessions.map { try Self.encode($0) }
        let fd = try Self.openAppend(path)
        defer { FileIO.close(fd) }
        try Self.write(fd: fd, path: path, lines: lines, memberLimit: memberLimit)
    }

    /// Appends one session (see `append(_:)` for several).
    public func append(_ session: Session) throws {
        try append([session])
    }

    /// Writes a whole corpus to `path` atomically (temporary file, fsync, rename), so readers
    /// and a killed writer never leave a half-written file at `path`.
    public static func writeAtomically(path: String, header: CorpusHeader, sessions: [Session]) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd: Int32
        do { fd = try FileIO.open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC) } catch {
            throw CorpusError(path: temporary, reason: "cannot create: \(error)")
        }
        do {
            var lines = [try encode(header)]
            lines += try sessions.map { try encode($0) }
            try write(fd: fd, path: temporary, lines: lines)
            FileIO.close(fd)
            try FileIO.rename(temporary, path)
        } catch {
            FileIO.close(fd)
            unlink(temporary)
            throw error as? CorpusError ?? CorpusError(path: path, reason: "\(error)")
        }
    }

    /// The JSON line for a value (sorted keys, no trailing newline).
    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    private static func openAppend(_ path: String) throws -> Int32 {
        do { return try FileIO.open(path, flags: O_WRONLY | O_CREAT | O_APPEND) } catch {
            throw CorpusError(path: path, reason: "cannot open for writing: \(error)")
        }
    }

    private static func write(fd: Int32, path: String, lines: [[UInt8]], memberLimit: Int = 1 << 20) throws {
        var out: [UInt8] = []
        var member: [UInt8] = []
        do {
            for line in lines {
                if !member.isEmpty && member.count + line.count + 1 > memberLimit {
                    out += try Gzip.compressMember(member)
                    member.removeAll(keepingCapacity: true)
                }
                member += line
                member.append(0x0A)
            }
            if !member.isEmpty { out += try Gzip.compressMember(member) }
            try FileIO.writeAll(fd, out)
            try FileIO.sync(fd)
        } catch {
            throw CorpusError(path: path, reason: "write failed: \(error)")
        }
    }
}
