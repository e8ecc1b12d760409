import Foundation
import StampedeTestSupport

/// A blocking TCP client socket on 127.0.0.1 that writes raw bytes (hostile clients: oversized
/// heads, half-sent requests) and reads with a receive timeout. Closed by ``close()`` only, so a
/// test can hold it open while it watches the server. Used by one thread at a time.
final class RawSocket: @unchecked Sendable {
    private(set) var fd: Int32

    /// Connects to `127.0.0.1:port`; sends and receives time out after `timeout` seconds.
    init(port: Int, timeout: Int = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var time = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let code = errno
            Glibc.close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .ECONNREFUSED)
        }
    }

    /// Writes as much of `bytes` as the peer takes; false when it stopped taking them (closed, reset, timeout).
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        RawLoopbackListener.write(bytes, to: fd)
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Reads until the peer closes, an error or timeout, or `limit` bytes; returns what came and
    /// whether the peer closed (end of stream or reset).
    func readUntilClosed(limit: Int = 1 << 16) -> (bytes: [UInt8], closed: Bool) {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while out.count < limit {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                out += buffer[..<count]
            } else if count == 0 || errno == ECONNRESET {
                return (out, true)
            } else {
                return (out, false)  // timeout
            }
        }
        return (out, false)
    }

    /// Reads until `marker` has arrived (or the peer closes, or a timeout); returns what came as text.
    func read(until marker: String) -> String {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: out, as: UTF8.self).contains(marker) {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            out += buffer[..<count]
        }
        return String(decoding: out, as: UTF8.self)
    }

    func close() {
        guard fd >= 0 else { return }
        Glibc.close(fd)
        fd = -1
    }

    deinit { close() }
}

/// Runs blocking socket work on a dispatch thread, never on the cooperative pool (whose few
/// threads the proxy and the upstream under test need).
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}

/// Open descriptors and resident memory of a process, from `/proc`.
enum ProcessUsage {
    static func descriptors(_ pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
    }

    /// Resident set size in MiB.
    static func residentMiB(_ pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kib = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return -1 }
        return kib / 1024
    }

    /// Polls `condition` every 20 ms until it holds or `timeout` passes; returns whether it held.
    static func poll(timeout: Duration, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }
}
