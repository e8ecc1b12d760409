import StampedeClient
import Testing

@testable import Replayer

@Suite struct MetricsTests {
    func observation(
        _ endpoint: String, status: Int, latency: Int64 = 1_000, kind: ClientKind = .user, failure: FailureClass? = nil,
        transport: String? = nil
    ) -> RequestObservation {
        RequestObservation(
            kind: kind, endpoint: endpoint, status: status, transportFailure: transport, latencyMicroseconds: latency,
            bytesReceived: 10, failure: failure, slow: false, sse: nil)
    }

    @Test func totalsAddUpAcrossShardsAndEndpoints() throws {
        let start = ContinuousClock.now
        let metrics = MetricsRecorder(shardCount: 4, start: start)
        var expected = 0
        for i in 0..<200 {
            let status = i % 10 == 0 ? 500 : (i % 7 == 0 ? 404 : 200)
            metrics.record(
                observation(
                    "GET /x/\(i % 5)", status: status, latency: Int64(100 + i),
                    failure: status == 500 ? .serverError : nil),
                shard: i, at: start + .milliseconds(i * 10))
            expected += 1
        }
        let totals = metrics.totals()
        #expect(totals.requests == expected)
        #expect(totals.endpoints.values.reduce(0) { $0 + $1.count } == expected)
        #expect(totals.errors == totals.endpoints.values.reduce(0) { $0 + $1.errors })
        #expect(totals.errors == 20 + 29 - 3)  // 500s plus 404s (i%7==0 but not i%10==0)
        #expect(totals.modes[0].failures[FailureClass.serverError.index] == 20)
        let points = metrics.closeSeconds(before: 3)
        #expect(points.map(\.second) == [0, 1, 2])
        #expect(points.reduce(0) { $0 + $1.requests } == expected)
        // Each second's histogram holds exactly that second's requests.
        for point in points {
            let h = try point.histogram.map { try LatencyHistogram(encoded: $0) }
            #expect(Int(h?.count ?? 0) == point.requests)
            #expect(h?.percentileMilliseconds(99) ?? 0 == point.p99Milliseconds)
        }
    }

    @Test func successAndErrorLatencyApart() {
        var acc = EndpointAccumulator()
        acc.record(observation("GET /", status: 200, latency: 1_000))
        acc.record(observation("GET /", status: 200, latency: 2_000))
        acc.record(observation("GET /", status: 503, latency: 90_000, failure: .serverError))
        acc.record(observation("GET /", status: 0, latency: 5_000, failure: .transport, transport: "CURLE_RECV_ERROR"))
        #expect(acc.count == 4)
        #expect(acc.errors == 2)
        #expect(acc.status == [200: 2, 503: 1, 599: 1])
        let ok = acc.success.summary()
        #expect(ok != nil && (ok?.max ?? 0) < 2.1)
        let bad = acc.error?.summary()
        #expect((bad?.max ?? 0) > 89)
        #expect(acc.all.count == 4)
    }

    @Test func endpointMapIsCapped() {
        var shard = MetricsShard()
        for i in 0..<(MetricsShard.maxEndpoints + 50) {
            shard.record(observation("GET /unique/\(i)x", status: 200), second: 0)
        }
        #expect(shard.endpoints.count == MetricsShard.maxEndpoints + 1)
        #expect(shard.endpoints[MetricsShard.overflowEndpoint]?.count == 50)
        #expect(shard.requests == MetricsShard.maxEndpoints + 50)
    }

    @Test func histogramPercentilesAreOrdered() throws {
        var h = LatencyHistogram()
        for v in 1...10_000 { h.record(microseconds: Int64(v)) }
        let s = try #require(h.summary())
        #expect(s.min <= s.p50 && s.p50 <= s.p90 && s.p90 <= s.p99 && s.p99 <= s.max)
        #expect(abs(s.p50 - 5.0) < 0.1)
        #expect(abs(s.p99 - 9.9) < 0.15)
    }

    @Test func lateRecordsLandInTheirSecond() throws {
        let start = ContinuousClock.now
        let metrics = MetricsRecorder(shardCount: 1, start: start)
        metrics.record(observation("GET /", status: 200), shard: 0, at: start + .milliseconds(500))
        _ = metrics.closeSeconds(before: 2)
        metrics.record(observation("GET /", status: 200), shard: 0, at: start + .milliseconds(700))
        _ = metrics.closeSeconds(before: 3)
        let points = metrics.timelinePoints
        #expect(points.count == 3)
        #expect(points[0].requests == 2)
        // The late request is in its second's histogram too, so per-second figures merge exactly.
        let histogram = try LatencyHistogram(encoded: try #require(points[0].histogram))
        #expect(histogram.count == 2)
        #expect(points[1].histogram == nil && points[2].histogram == nil)
    }
}
