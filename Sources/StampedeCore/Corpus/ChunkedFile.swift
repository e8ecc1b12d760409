import Foundation

/// A corpus file read in fixed chunks, tracking the file offset of the next unread byte.
final class ChunkedFile {
    let path: String
    let size: Int
    private let fd: Int32
    private var chunk = [UInt8](repeating: 0, count: 256 * 1024)
    private var count = 0
    private var position = 0
    /// File offset of `chunk[0]`.
    private var chunkOffset = 0

    init(path: String) throws {
        self.path = path
        do { fd = try FileIO.open(path, flags: O_RDONLY) } catch {
            throw CorpusError(path: path, reason: "cannot open: \(error)")
        }
        size = (try? FileIO.size(fd)) ?? 0
    }

    func close() { FileIO.close(fd) }

    /// File offset of the next unread byte.
    var offset: Int { chunkOffset + position }

    /// The unread part of the current chunk.
    var remaining: ArraySlice<UInt8> { chunk[position..<count] }

    func consume(_ n: Int) { position += n }

    /// Refills the chunk when it is used up; false at the end of the file.
    func hasInput() throws -> Bool {
        if position < count { return true }
        chunkOffset += count
        position = 0
        count = 0
        count = try read(into: &chunk)
        return count > 0
    }

    /// Continues reading at `target` (nil: the end of the file).
    func skip(to target: Int?) throws {
        let target = target ?? size
        try seek(to: target)
        chunkOffset = target
        position = 0
        count = 0
    }

    /// Reads up to `buffer.count` bytes at `offset` (moves the file position: call ``skip(to:)`` after).
    func read(at offset: Int, into buffer: inout [UInt8]) throws -> Int {
        try seek(to: offset)
        return try read(into: &buffer)
    }

    private func read(into buffer: inout [UInt8]) throws -> Int {
        do { return try buffer.withUnsafeMutableBytes { try FileIO.read(fd, into: $0) } } catch {
            throw CorpusError(path: path, reason: "read failed: \(error)")
        }
    }

    private func seek(to offset: Int) throws {
        do { try FileIO.seek(fd, to: offset) } catch { throw CorpusError(path: path, reason: "\(error)") }
    }
}
