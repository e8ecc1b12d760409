#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call, with `strerror`'s reason.
package struct SystemError: Error, Sendable, CustomStringConvertible {
    package var call: String
    package var errno: Int32

    package var description: String { "\(call): \(String(cString: strerror(errno)))" }
}

/// Thin wrappers over the POSIX file calls Stampede uses: retry on `EINTR`, typed errors.
enum FileIO {
    static func open(_ path: String, flags: Int32, mode: mode_t = 0o644) throws(SystemError) -> Int32 {
        while true {
            let fd = Glibc.open(path, flags, mode)
            if fd >= 0 { return fd }
            if errno != EINTR { throw SystemError(call: "open", errno: errno) }
        }
    }

    /// Reads up to `buffer.count` bytes; 0 means end of file.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw SystemError(call: "read", errno: errno) }
        }
    }

    /// Writes all bytes, looping over short writes.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                Glibc.write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError(call: "write", errno: errno)
            }
            offset += n
        }
    }

    static func seek(_ fd: Int32, to offset: Int) throws(SystemError) {
        if lseek(fd, off_t(offset), SEEK_SET) < 0 { throw SystemError(call: "lseek", errno: errno) }
    }

    static func size(_ fd: Int32) throws(SystemError) -> Int {
        var st = stat()
        if fstat(fd, &st) != 0 { throw SystemError(call: "fstat", errno: errno) }
        return Int(st.st_size)
    }

    static func sync(_ fd: Int32) throws(SystemError) {
        if fsync(fd) != 0 { throw SystemError(call: "fsync", errno: errno) }
    }

    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    static func rename(_ from: String, _ to: String) throws(SystemError) {
        if Glibc.rename(from, to) != 0 { throw SystemError(call: "rename", errno: errno) }
    }

    /// Writes a whole file atomically: a temporary file next to it, `fsync`, `rename`.
    static func writeAtomically(path: String, bytes: [UInt8], mode: mode_t = 0o644) throws(SystemError) {
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = try open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: mode)
        do throws(SystemError) {
            try writeAll(fd, bytes)
            try sync(fd)
            if fchmod(fd, mode) != 0 { throw SystemError(call: "fchmod", errno: errno) }
            close(fd)
            try rename(temporary, path)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
    }

    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }
}
