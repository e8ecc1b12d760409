import Foundation
import StampedeHTTP
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server over POSIX sockets on 127.0.0.1, for exercising the engine.
///
/// Routes:
/// - `/echo…` — 200; body is `METHOD TARGET\n`, each request header as `name: value\n`, a blank line,
///   then the request body. Headers `X-Method`, `X-Body-Length`.
/// - `/login` — 200 with `Set-Cookie: session=…` and `Set-Cookie: csrf_token=…`.
/// - `/sse?count=N&interval=MS` — an event stream of N events (0 = until the client leaves),
///   MS apart, then the server closes the connection.
/// - `/hang` — reads the request and never answers until the client closes.
/// - `/close` — closes the connection without a response.
/// - `/status/CODE` — an empty response with that status.
final class TestServer: Sendable {
    let port: UInt16
    private let listener: Int32
    private let state = Mutex(State())

    private struct State {
        var clients: Set<Int32> = []
        var accepted = 0
        var requests = 0
        var received: [UInt8] = []
        var stopped = false
    }

    /// Connections accepted so far.
    var acceptedConnections: Int { state.withLock { $0.accepted } }
    /// Requests read so far.
    var requestCount: Int { state.withLock { $0.requests } }

    /// Every byte read from every connection, in arrival order per read.
    var receivedBytes: [UInt8] { state.withLock { $0.received } }

    let host: String
    var baseURL: String { "http://\(host):\(port)" }

    /// Listens on `host` (any loopback address: Linux routes all of 127.0.0.0/8 without setup).
    init(host: String = "127.0.0.1") throws {
        self.host = host
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr(host)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 512) == 0 else {
            close(fd)
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    deinit { stop() }

    /// Closes the listener and every open connection.
    func stop() {
        let clients = state.withLock { state -> Set<Int32> in
            guard !state.stopped else { return [] }
            state.stopped = true
            Glibc.shutdown(listener, Int32(SHUT_RDWR))
            return state.clients
        }
        for fd in clients { Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
    }

    /// A port on 127.0.0.1 where nothing listens (bound, then closed).
    static func refusedPort() -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        close(fd)
        return UInt16(bigEndian: address.sin_port)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                break
            }
            let keep = state.withLock { state -> Bool in
                guard !state.stopped else { return false }
                state.accepted += 1
                state.clients.insert(client)
                return true
            }
            guard keep else {
                close(client)
                break
            }
            var one: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            Thread.detachNewThread { [self] in serve(client) }
        }
        close(listener)
    }

    private func finish(_ fd: Int32) {
        state.withLock { _ = $0.clients.remove(fd) }
        close(fd)
    }

    private struct Request {
        var method: String
        var target: String
        var headers: [(String, String)]
        var body: [UInt8]
        var path: String { String(target.prefix { $0 != "?" }) }
        func query(_ name: String) -> String? {
            guard let q = target.firstIndex(of: "?") else { return nil }
            for pair in target[target.index(after: q)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.first.map(String.init) == name { return parts.count > 1 ? String(parts[1]) : "" }
            }
            return nil
        }
    }

    private func serve(_ fd: Int32) {
        defer { finish(fd) }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            // Read one request: head up to CRLFCRLF, then Content-Length bytes.
            var headEnd: Int?
            while true {
                if let end = Self.find([13, 10, 13, 10], in: buffer) { headEnd = end; break }
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { return }
                buffer.append(contentsOf: chunk[0..<n])
                state.withLock { $0.received += chunk[0..<n] }
            }
            guard let headEnd else { return }
            let head = String(decoding: buffer[0..<headEnd], as: UTF8.self)
            var lines = head.components(separatedBy: "\r\n")
            let requestLine = lines.removeFirst().split(separator: " ", maxSplits: 2)
            guard requestLine.count >= 2 else { return }
            var headers: [(String, String)] = []
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
            let length = headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? 0
            let bodyStart = headEnd + 4
            while buffer.count < bodyStart + length {
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { return }
                buffer.append(contentsOf: chunk[0..<n])
                state.withLock { $0.received += chunk[0..<n] }
            }
            let request = Request(
                method: String(requestLine[0]),
                target: String(requestLine[1]),
                headers: headers,
                body: Array(buffer[bodyStart..<(bodyStart + length)])
            )
            buffer.removeFirst(bodyStart + length)
            state.withLock { $0.requests += 1 }
            guard respond(to: request, on: fd) else { return }
        }
    }

    /// Answers one request; false when the connection must end.
    private func respond(to request: Request, on fd: Int32) -> Bool {
        let path = request.path
        if path.hasPrefix("/echo") {
            var body = Array("\(request.method) \(request.target)\n".utf8)
            for (name, value) in request.headers { body += Array("\(name): \(value)\n".utf8) }
            body += Array("\n".utf8)
            body += request.body
            return send(status: 200, headers: [
                ("Content-Type", "text/plain"),
                ("X-Method", request.method),
                ("X-Body-Length", "\(request.body.count)"),
            ], body: body, to: fd, omitBody: request.method == "HEAD")
        }
        if path == "/login" {
            let token = "tok-\(UInt32.random(in: 0...UInt32.max))"
            return send(status: 200, headers: [
                ("Set-Cookie", "session=s-\(token); Path=/; HttpOnly; SameSite=Lax"),
                ("Set-Cookie", "csrf_token=\(token); Path=/"),
            ], body: Array("ok".utf8), to: fd)
        }
        if path == "/sse" {
            let count = request.query("count").flatMap(Int.init) ?? 3
            let interval = request.query("interval").flatMap(Int.init) ?? 10
            guard write(Array("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n: hello\n\n".utf8), to: fd) else { return false }
            var index = 0
            while count == 0 || index < count {
                let event = "id: \(index)\nevent: tick\ndata: line1 \(index)\r\ndata: line2\n\n"
                guard write(Array(event.utf8), to: fd) else { return false }
                index += 1
                usleep(UInt32(interval * 1_000))
            }
            return false
        }
        if path == "/hang" {
            var byte: UInt8 = 0
            while recv(fd, &byte, 1, 0) > 0 {}
            return false
        }
        if path == "/close" {
            return false
        }
        if path == "/redirect" {
            let target = request.query("to") ?? "/echo"
            return send(status: 302, headers: [("Location", target), ("Set-Cookie", "hop=1; Path=/")], body: [], to: fd)
        }
        if path == "/oneshot" {
            // One response per connection: the client must open a new socket for the next request.
            _ = send(status: 200, headers: [("Connection", "close")], body: Array("once".utf8), to: fd)
            return false
        }
        if path.hasPrefix("/status/"), let code = Int(path.dropFirst("/status/".count)) {
            return send(status: code, headers: [], body: [], to: fd)
        }
        return send(status: 404, headers: [], body: Array("not found".utf8), to: fd)
    }

    private func send(status: Int, headers: [(String, String)], body: [UInt8], to fd: Int32, omitBody: Bool = false) -> Bool {
        var head = "HTTP/1.1 \(status) X\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        return write(Array(head.utf8) + (omitBody ? [] : body), to: fd)
    }

    private func write(_ bytes: [UInt8], to fd: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }
}
