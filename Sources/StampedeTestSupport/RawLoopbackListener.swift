import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A listening TCP socket on a free 127.0.0.1 port, for test servers that must write raw bytes
/// (a skewed `Date`, a stream that never ends, a reply that is not HTTP, a server that never accepts).
public final class RawLoopbackListener: Sendable {
    /// The port the kernel chose.
    public let port: UInt16
    private let fd: Int32

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Binds and listens; connections queue in the backlog until ``acceptEach(concurrently:_:)``.
    public init(backlog: Int32 = 64) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard bound == 0, listen(fd, backlog) == 0, named == 0 else {
            let code = errno
            close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EADDRINUSE)
        }
        self.fd = fd
        port = UInt16(bigEndian: address.sin_port)
    }

    /// Accepts connections on a thread of its own until ``stop()``, handing each descriptor to `serve`
    /// (on a new thread per connection when `concurrently`); `serve` owns and closes the descriptor.
    public func acceptEach(concurrently: Bool = true, _ serve: @escaping @Sendable (Int32) -> Void) {
        let fd = fd
        Thread.detachNewThread {
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 {
                    // A connection reset in the backlog or a signal is not the end; a closed listener is.
                    if errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE { continue }
                    return
                }
                if concurrently { Thread.detachNewThread { serve(client) } } else { serve(client) }
            }
        }
    }

    /// Stops accepting and closes the listening socket (connections already handed out stay open).
    public func stop() {
        Glibc.shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    /// Writes all of `bytes` to `fd`; false when the peer stopped taking them (closed, reset, timeout).
    @discardableResult
    public static func write(_ bytes: [UInt8], to fd: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }
}
