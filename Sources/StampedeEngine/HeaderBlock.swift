import StampedeHTTP

/// A response's raw header block as libcurl delivered it (status line, `Name: value` lines),
/// parsed only on demand: a load run reads a few headers (status, `Set-Cookie`, `Content-Type`,
/// `Location`, those extract rules name) and never pays for `String`s of the rest.
struct HeaderBlock: Sendable, Equatable {
    var bytes: [UInt8]

    /// True when a header line is a status line (`HTTP/…`); a byte compare, as it runs per header.
    @inline(__always)
    static func isStatusLine<C: RandomAccessCollection<UInt8>>(_ line: C) -> Bool {
        guard line.count >= 5 else { return false }
        let i = line.startIndex
        return line[i] == 0x48 && line[line.index(i, offsetBy: 1)] == 0x54 && line[line.index(i, offsetBy: 2)] == 0x54
            && line[line.index(i, offsetBy: 3)] == 0x50 && line[line.index(i, offsetBy: 4)] == 0x2F  // "HTTP/"
    }

    /// Calls `body` with the name and (trimmed) value ranges of each header line, in order, until
    /// it returns false.
    func forEachField(_ body: (Range<Int>, Range<Int>) -> Bool) {
        var lineStart = 0
        var index = 0
        let count = bytes.count
        while index <= count {
            if index == count || bytes[index] == 0x0A {
                var lineEnd = index
                if lineEnd > lineStart, bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                if lineEnd > lineStart, let colon = bytes[lineStart..<lineEnd].firstIndex(of: UInt8(ascii: ":")),
                    !Self.isStatusLine(bytes[lineStart..<lineEnd])
                {
                    var valueStart = colon + 1
                    while valueStart < lineEnd, bytes[valueStart] == 0x20 || bytes[valueStart] == 0x09 { valueStart += 1 }
                    var valueEnd = lineEnd
                    while valueEnd > valueStart, bytes[valueEnd - 1] == 0x20 || bytes[valueEnd - 1] == 0x09 { valueEnd -= 1 }
                    if !body(lineStart..<colon, valueStart..<valueEnd) { return }
                }
                lineStart = index + 1
            }
            index += 1
        }
    }

    /// Every header, in order.
    var headers: [HTTPHeader] {
        var headers: [HTTPHeader] = []
        forEachField { name, value in
            headers.append(HTTPHeader(string(name), string(value)))
            return true
        }
        return headers
    }

    /// The values of the headers called `name` (case-insensitive), in order; at most `limit`.
    func values(named name: String, limit: Int = .max) -> [String] {
        var found: [String] = []
        var name = name
        name.withUTF8 { wanted in
            forEachField { range, value in
                if matches(range, wanted) { found.append(string(value)) }
                return found.count < limit
            }
        }
        return found
    }

    private func matches(_ range: Range<Int>, _ wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        guard range.count == wanted.count else { return false }
        var j = 0
        for i in range {
            if ASCII.lower(bytes[i]) != ASCII.lower(wanted[j]) { return false }
            j += 1
        }
        return true
    }

    private func string(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }
}
