import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 whose clock is `skew` seconds off: every request gets
/// `404` with a `Date` header of now + skew, then the connection closes. Hummingbird (the demo
/// target) always writes its own `Date`, so the clock warning needs a server of its own.
final class SkewedClockServer: Sendable {
    let port: UInt16
    private let listener: Int32
    private let skew: TimeInterval
    private let served = Atomic<Int>(0)

    var baseURL: String { "http://127.0.0.1:\(port)" }
    /// Requests answered so far.
    var requests: Int { served.load(ordering: .relaxed) }

    init(skew: TimeInterval) throws {
        self.skew = skew
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, bound == 0, listen(fd, 64) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in
            while case let client = accept(listener, nil, nil), client >= 0 {
                Thread.detachNewThread { [self] in serve(client) }
            }
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        // Read the whole request (head and a Content-Length body) so closing never resets the connection.
        while bodyMissing(head) > 0 {
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { return }
            head += buffer[0..<n]
        }
        let date = Date().addingTimeInterval(skew).formatted(
            Date.VerbatimFormatStyle(
                format: """
                    \(weekday: .abbreviated), \(day: .twoDigits) \(month: .abbreviated) \(year: .defaultDigits) \
                    \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits) GMT
                    """,
                locale: Locale(identifier: "en_US_POSIX"), timeZone: .gmt, calendar: Calendar(identifier: .gregorian)))
        let response = "HTTP/1.1 404 Not Found\r\nDate: \(date)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        served.wrappingAdd(1, ordering: .relaxed)
        _ = send(fd, response, response.utf8.count, Int32(MSG_NOSIGNAL))
    }

    /// Bytes of `request` not read yet: 1 until its head is complete, then what its Content-Length still lacks.
    private func bodyMissing(_ request: [UInt8]) -> Int {
        let text = String(decoding: request, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return 1 }
        let length = text[..<end.lowerBound].split(separator: "\r\n")
            .first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
        return length - text.utf8.distance(from: end.upperBound, to: text.endIndex)
    }

    func stop() {
        Glibc.shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }
}
