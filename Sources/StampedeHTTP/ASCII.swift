/// Byte-level ASCII case folding: header names, cookie attributes, URL schemes and hosts compare
/// case-insensitively without allocating lowercase copies.
package enum ASCII {
    /// `byte` lowercased if it is an ASCII capital letter.
    @inline(__always)
    package static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    /// Whether `a` and `b` are equal, ignoring ASCII case (other bytes compare exactly).
    package static func equalsIgnoringCase(_ a: String, _ b: String) -> Bool {
        let x = a.utf8, y = b.utf8
        guard x.count == y.count else { return false }
        // Native strings are contiguous: compare their buffers (the generic zip of two views was a hot spot).
        let compared = x.withContiguousStorageIfAvailable { xs in
            y.withContiguousStorageIfAvailable { ys in
                for i in 0..<xs.count where lower(xs[i]) != lower(ys[i]) { return false }
                return true
            }
        }
        return (compared ?? nil) ?? zip(x, y).allSatisfy { lower($0) == lower($1) }
    }

    /// `s` with its ASCII capitals lowercased (other bytes unchanged).
    package static func lowercased(_ s: String) -> String {
        String(decoding: s.utf8.map(lower), as: UTF8.self)
    }
}
