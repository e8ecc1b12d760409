import Foundation
import Histogram
import Testing

@testable import Replayer

@Suite struct HdrEncodingTests {
    func counts(_ h: LatencyHistogram) -> [UInt32] { h.histogram.allValues().map(\.count) }

    @Test func roundTripIsIdentical() throws {
        var h = LatencyHistogram()
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5_000 { h.record(microseconds: Int64.random(in: 1...2_000_000, using: &rng)) }
        h.record(microseconds: 599_999_999)
        for _ in 0..<300 { h.record(microseconds: 1_234) }
        let decoded = try LatencyHistogram(encoded: h.encoded)
        #expect(decoded.count == h.count)
        #expect(counts(decoded) == counts(h))
        #expect(decoded.histogram.minNonZero == h.histogram.minNonZero)
        #expect(decoded.histogram.max == h.histogram.max)
        #expect(decoded.summary() == h.summary())
        #expect(decoded.encoded == h.encoded)
    }

    @Test func emptyAndSingleValueRoundTrip() throws {
        let empty = LatencyHistogram()
        #expect(try LatencyHistogram(encoded: empty.encoded).count == 0)
        var one = LatencyHistogram()
        one.record(microseconds: 1)
        let decoded = try LatencyHistogram(encoded: one.encoded)
        #expect(counts(decoded) == counts(one))
    }

    @Test func writesHdrHistogramsV2CookiesAndRejectsGarbage() throws {
        var h = LatencyHistogram()
        h.record(microseconds: 500)
        let bytes = [UInt8](try #require(Data(base64Encoded: h.encoded)))
        #expect(Array(bytes.prefix(4)) == [0x1c, 0x84, 0x93, 0x14])
        #expect(throws: HdrEncoding.DecodeError.self) { try LatencyHistogram(encoded: "not base64!") }
        #expect(throws: HdrEncoding.DecodeError.self) { try LatencyHistogram(encoded: Data([1, 2, 3, 4, 0, 0, 0, 1, 9]).base64EncodedString()) }
        let truncated = Data(bytes.prefix(bytes.count - 3)).base64EncodedString()
        #expect(throws: HdrEncoding.DecodeError.self) { try LatencyHistogram(encoded: truncated) }
    }

    @Test func mergingDecodedHistogramsEqualsOneBuiltFromAllValues() throws {
        var parts = [LatencyHistogram(), LatencyHistogram(), LatencyHistogram()]
        var whole = LatencyHistogram()
        for v in 1...3_000 {
            let us = Int64(v * v % 900_001 + 1)
            parts[v % 3].record(microseconds: us)
            whole.record(microseconds: us)
        }
        var merged = LatencyHistogram()
        for p in parts { merged.merge(try LatencyHistogram(encoded: p.encoded)) }
        #expect(counts(merged) == counts(whole))
        #expect(merged.summary() == whole.summary())
    }
}
