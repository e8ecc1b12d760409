import Foundation
import StampedeTestSupport
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 whose clock is `skew` seconds off: every request gets
/// `404` with a `Date` header of now + skew, then the connection closes. Hummingbird (the demo
/// target) always writes its own `Date`, so the clock warning needs a server of its own.
final class SkewedClockServer: Sendable {
    private let listener: RawLoopbackListener
    private let skew: TimeInterval
    private let served = Atomic<Int>(0)

    var port: UInt16 { listener.port }
    var baseURL: String { listener.baseURL }
    /// Requests answered so far.
    var requests: Int { served.load(ordering: .relaxed) }

    init(skew: TimeInterval) throws {
        self.skew = skew
        listener = try RawLoopbackListener()
        listener.acceptEach { [self] in serve($0) }
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

    func stop() { listener.stop() }
}
