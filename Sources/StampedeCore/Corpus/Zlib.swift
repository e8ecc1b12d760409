internal import CZlib

/// zlib-format (RFC 1950) whole-buffer compression, as HdrHistogram's compressed encoding uses.
package enum Zlib {
    /// Compresses `bytes` into one zlib stream.
    package static func compress(_ bytes: [UInt8], level: Int32 = 6) throws(ZlibError) -> [UInt8] {
        var size = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(size))
        let code = out.withUnsafeMutableBufferPointer { o in
            bytes.withUnsafeBufferPointer { i in compress2(o.baseAddress, &size, i.baseAddress, uLong(bytes.count), level) }
        }
        guard code == Z_OK else { throw ZlibError(code: code, message: "compress: \(ZlibError.zlibName(code))") }
        return Array(out.prefix(Int(size)))
    }

    /// Decompresses one zlib stream of at most `limit` bytes of output.
    package static func decompress(_ bytes: [UInt8], limit: Int = 64 << 20) throws(ZlibError) -> [UInt8] {
        var capacity = max(1024, bytes.count * 4)
        while true {
            var size = uLong(capacity)
            var out = [UInt8](repeating: 0, count: capacity)
            let code = out.withUnsafeMutableBufferPointer { o in
                bytes.withUnsafeBufferPointer { i in uncompress(o.baseAddress, &size, i.baseAddress, uLong(bytes.count)) }
            }
            if code == Z_OK { return Array(out.prefix(Int(size))) }
            guard code == Z_BUF_ERROR, capacity < limit else {
                throw ZlibError(code: code, message: "uncompress: \(ZlibError.zlibName(code))")
            }
            capacity = min(limit, capacity * 4)
        }
    }
}
