import Foundation
import Histogram
import StampedeCore

/// HdrHistogram's own V2 encoding (the one Java, Go, Rust and JS HdrHistogram read), compressed and base64.
///
/// Layout, big-endian: cookie `0x1c849314`, compressed length, then zlib of the uncompressed form:
/// cookie `0x1c849313`, payload length, normalizing offset 0, significant digits, lowest discernible value,
/// highest trackable value, integer-to-double ratio 1.0, then the counts as ZigZag LEB128 with runs of
/// zeros written as one negative number.
enum HdrEncoding {
    static let cookie: UInt32 = 0x1c84_9313
    static let compressedCookie: UInt32 = 0x1c84_9314

    /// A bad or foreign encoded histogram.
    struct DecodeError: Error, CustomStringConvertible {
        let description: String
    }

    static func encode(_ histogram: Histogram<UInt32>) -> String {
        var counts = histogram.allValues().map { Int64($0.count) }
        while counts.last == 0 { counts.removeLast() }
        var payload: [UInt8] = []
        var i = 0
        while i < counts.count {
            if counts[i] == 0 {
                var run: Int64 = 0
                while i < counts.count && counts[i] == 0 { run += 1; i += 1 }
                appendZigZag(run == 1 ? 0 : -run, to: &payload)
            } else {
                appendZigZag(counts[i], to: &payload)
                i += 1
            }
        }
        var plain: [UInt8] = []
        appendBigEndian(UInt64(cookie), bytes: 4, to: &plain)
        appendBigEndian(UInt64(payload.count), bytes: 4, to: &plain)
        appendBigEndian(0, bytes: 4, to: &plain)
        appendBigEndian(UInt64(histogram.numberOfSignificantValueDigits.rawValue), bytes: 4, to: &plain)
        appendBigEndian(histogram.lowestDiscernibleValue, bytes: 8, to: &plain)
        appendBigEndian(histogram.highestTrackableValue, bytes: 8, to: &plain)
        appendBigEndian((1.0 as Double).bitPattern, bytes: 8, to: &plain)
        plain += payload
        // Compressing a few KB in memory cannot fail short of memory exhaustion; fall back to level 0.
        let compressed = (try? Zlib.compress(plain)) ?? ((try? Zlib.compress(plain, level: 0)) ?? [])
        var out: [UInt8] = []
        appendBigEndian(UInt64(compressedCookie), bytes: 4, to: &out)
        appendBigEndian(UInt64(compressed.count), bytes: 4, to: &out)
        return Data(out + compressed).base64EncodedString()
    }

    static func decode(_ base64: String) throws(DecodeError) -> Histogram<UInt32> {
        guard let data = Data(base64Encoded: base64) else { throw DecodeError(description: "histogram: not base64") }
        var reader = ByteReader(bytes: Array(data))
        guard try reader.int(4) == UInt64(compressedCookie) else {
            throw DecodeError(description: "histogram: not an HdrHistogram V2 compressed encoding")
        }
        let length = Int(try reader.int(4))
        let compressed = try reader.take(length)
        guard let plain = try? Zlib.decompress(compressed) else { throw DecodeError(description: "histogram: bad zlib data") }
        return try decodePlain(plain)
    }

    private static func decodePlain(_ plain: [UInt8]) throws(DecodeError) -> Histogram<UInt32> {
        var r = ByteReader(bytes: plain)
        guard try r.int(4) == UInt64(cookie) else { throw DecodeError(description: "histogram: bad inner cookie") }
        let payloadLength = Int(try r.int(4))
        guard try r.int(4) == 0 else { throw DecodeError(description: "histogram: normalizing offsets are not supported") }
        let digitsRaw = Int8(truncatingIfNeeded: try r.int(4))
        let lowest = try r.int(8)
        let highest = try r.int(8)
        _ = try r.int(8)
        guard let digits = SignificantDigits(rawValue: digitsRaw), lowest >= 1, highest >= 2 * lowest else {
            throw DecodeError(description: "histogram: bad parameters")
        }
        var payload = ByteReader(bytes: try r.take(payloadLength))
        var counts: [UInt64] = []
        while !payload.atEnd {
            let v = try payload.zigZag()
            if v < 0 { counts += repeatElement(0, count: Int(-v)) } else { counts.append(UInt64(v)) }
        }
        var histogram = Histogram<UInt32>(
            lowestDiscernibleValue: lowest, highestTrackableValue: highest, numberOfSignificantValueDigits: digits)
        // The histogram's own walk over its counts gives each index's value, so no index arithmetic is repeated here.
        var index = 0
        for slot in histogram.allValues() {
            guard index < counts.count else { break }
            if counts[index] > 0 {
                guard counts[index] <= UInt64(UInt32.max) else { throw DecodeError(description: "histogram: count too large") }
                _ = histogram.record(slot.value, count: UInt32(counts[index]))
            }
            index += 1
        }
        guard index == counts.count else { throw DecodeError(description: "histogram: more counts than the range holds") }
        return histogram
    }

    private static func appendBigEndian(_ value: UInt64, bytes: Int, to out: inout [UInt8]) {
        for shift in stride(from: (bytes - 1) * 8, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// ZigZag then LEB128; HdrHistogram's 9th byte carries 8 bits, which counts below 2^56 never reach.
    private static func appendZigZag(_ value: Int64, to out: inout [UInt8]) {
        var v = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        for _ in 0..<8 {
            if v < 0x80 { out.append(UInt8(v)); return }
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(truncatingIfNeeded: v))
    }

    private struct ByteReader {
        let bytes: [UInt8]
        var position = 0
        var atEnd: Bool { position >= bytes.count }

        mutating func take(_ n: Int) throws(DecodeError) -> [UInt8] {
            guard n >= 0, position + n <= bytes.count else { throw DecodeError(description: "histogram: truncated") }
            defer { position += n }
            return Array(bytes[position..<position + n])
        }

        mutating func int(_ n: Int) throws(DecodeError) -> UInt64 {
            try take(n).reduce(0) { $0 << 8 | UInt64($1) }
        }

        mutating func zigZag() throws(DecodeError) -> Int64 {
            var v: UInt64 = 0
            for i in 0..<9 {
                let b = UInt64(try take(1)[0])
                if i == 8 { v |= b << 56; break }
                v |= (b & 0x7F) << UInt64(7 * i)
                if b < 0x80 { break }
            }
            return Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1)
        }
    }
}
