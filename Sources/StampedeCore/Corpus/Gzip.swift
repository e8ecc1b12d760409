internal import CZlib

/// A zlib failure, carrying zlib's own message.
package struct ZlibError: Error, CustomStringConvertible, Sendable {
    package var code: Int32
    package var message: String

    package var description: String { "zlib error \(code): \(message)" }

    /// Maps a zlib return code to an error (the one place that does it).
    static func check(_ code: Int32, _ stream: inout z_stream, _ what: String) throws(ZlibError) {
        guard code == Z_OK || code == Z_STREAM_END || code == Z_BUF_ERROR else {
            let message = stream.msg.map { String(cString: $0) } ?? zlibName(code)
            throw ZlibError(code: code, message: "\(what): \(message)")
        }
    }

    static func zlibName(_ code: Int32) -> String {
        switch code {
        case Z_STREAM_ERROR: "Z_STREAM_ERROR"
        case Z_DATA_ERROR: "Z_DATA_ERROR"
        case Z_MEM_ERROR: "Z_MEM_ERROR"
        case Z_BUF_ERROR: "Z_BUF_ERROR"
        case Z_VERSION_ERROR: "Z_VERSION_ERROR"
        case Z_NEED_DICT: "Z_NEED_DICT"
        default: "code \(code)"
        }
    }
}

/// gzip (RFC 1952) compression of whole members.
package enum Gzip {
    /// Compresses `bytes` into one complete gzip member.
    package static func compressMember(_ bytes: [UInt8], level: Int32 = 6) throws(ZlibError) -> [UInt8] {
        var stream = z_stream()
        try ZlibError.check(stampede_deflate_init_gzip(&stream, level), &stream, "deflateInit2")
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(bytes.count))) + 32
        var output = [UInt8](repeating: 0, count: bound)
        var input = bytes
        let produced: Int = try input.withUnsafeMutableBufferPointer { (inBuf) throws(ZlibError) -> Int in
            try output.withUnsafeMutableBufferPointer { (outBuf) throws(ZlibError) -> Int in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                let code = deflate(&stream, Z_FINISH)
                guard code == Z_STREAM_END else {
                    throw ZlibError(code: code, message: "deflate did not finish: \(ZlibError.zlibName(code))")
                }
                return outBuf.count - Int(stream.avail_out)
            }
        }
        output.removeSubrange(produced...)
        return output
    }

    /// Decompresses a buffer holding one or more complete gzip members (convenience for tests
    /// and small files; the corpus reader streams instead).
    package static func decompress(_ bytes: [UInt8]) throws(ZlibError) -> [UInt8] {
        let inflater = try GzipInflater()
        var out: [UInt8] = []
        var offset = 0
        while offset < bytes.count {
            let step = try inflater.inflate(bytes[offset...]) { out.append(contentsOf: $0) }
            offset += step.consumed
            if step.memberEnded { inflater.reset() } else if step.consumed == 0 { break }
        }
        guard !inflater.isInsideMember else {
            throw ZlibError(code: Z_BUF_ERROR, message: "truncated gzip stream")
        }
        return out
    }
}

/// Streaming gzip inflater that stops at each member boundary, so callers know where members
/// start and end in the compressed file (used to report damage by byte offset).
final class GzipInflater {
    private var stream = z_stream()
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    /// Compressed bytes consumed since the last reset.
    private(set) var memberConsumed = 0

    init() throws(ZlibError) {
        try ZlibError.check(stampede_inflate_init_gzip(&stream), &stream, "inflateInit2")
    }

    deinit {
        inflateEnd(&stream)
    }

    var isInsideMember: Bool { memberConsumed > 0 }

    func reset() {
        inflateReset(&stream)
        memberConsumed = 0
    }

    struct Step {
        var consumed: Int
        var memberEnded: Bool
    }

    /// Feeds input until it is used up or the current member ends; output is appended to `output`.
    func inflate(_ input: ArraySlice<UInt8>, appendingTo output: inout [UInt8]) throws(ZlibError) -> Step {
        try inflate(input) { output.append(contentsOf: $0) }
    }

    /// Feeds input until it is used up or the current member ends; output goes to `sink`.
    func inflate(
        _ input: ArraySlice<UInt8>,
        sink: (UnsafeBufferPointer<UInt8>) -> Void
    ) throws(ZlibError) -> Step {
        var consumedTotal = 0
        var ended = false
        var failure: ZlibError?
        input.withUnsafeBufferPointer { inBuf in
            buffer.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
                stream.avail_in = uInt(inBuf.count)
                while true {
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = uInt(outBuf.count)
                    let code = CZlib.inflate(&stream, Z_NO_FLUSH)
                    let produced = outBuf.count - Int(stream.avail_out)
                    if produced > 0 {
                        sink(UnsafeBufferPointer(rebasing: outBuf[..<produced]))
                    }
                    if code == Z_STREAM_END {
                        ended = true
                        break
                    }
                    if code != Z_OK && code != Z_BUF_ERROR {
                        let message = stream.msg.map { String(cString: $0) } ?? ZlibError.zlibName(code)
                        failure = ZlibError(code: code, message: message)
                        break
                    }
                    if stream.avail_in == 0 && stream.avail_out != 0 { break }
                    if code == Z_BUF_ERROR && produced == 0 { break }
                }
                consumedTotal = inBuf.count - Int(stream.avail_in)
            }
        }
        memberConsumed += consumedTotal
        if let failure { throw failure }
        return Step(consumed: consumedTotal, memberEnded: ended)
    }
}
