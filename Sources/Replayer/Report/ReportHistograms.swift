/// A report's latency histograms in HdrHistogram's V2 compressed encoding, base64, microseconds.
///
/// They make reports mergeable exactly: `stampede report merge` adds the decoded histograms and
/// computes percentiles from the sum, never from the shards' percentiles.
public struct ReportHistograms: Codable, Sendable, Equatable {
    /// The encoding's name, so a reader knows what the strings are.
    public var encoding: String
    /// Per endpoint template: successes and errors (status ≥ 400 or transport failure) apart.
    public var endpoints: [String: EndpointHistograms]
    /// Per client kind (`user`, `monkey`).
    public var modes: [String: String]

    /// The `encoding` this tool writes.
    public static let encodingName = "hdr-v2-compressed-base64-microseconds"

    /// Histograms in the current encoding.
    public init(endpoints: [String: EndpointHistograms], modes: [String: String]) {
        self.encoding = Self.encodingName
        self.endpoints = endpoints
        self.modes = modes
    }
}

/// One endpoint's encoded histograms.
public struct EndpointHistograms: Codable, Sendable, Equatable {
    /// Latencies of answers that were not errors.
    public var success: String
    /// Latencies of errors; absent when there were none.
    public var error: String?

    /// One endpoint's encoded histograms.
    public init(success: String, error: String?) {
        self.success = success
        self.error = error
    }
}

extension ReportHistograms {
    /// The histograms of a finished run's merged metrics.
    init(totals: MetricsShard) {
        var endpoints: [String: EndpointHistograms] = [:]
        for (key, acc) in totals.endpoints {
            endpoints[key] = EndpointHistograms(success: acc.success.encoded, error: acc.error?.encoded)
        }
        var modes: [String: String] = [:]
        for kind in ClientKind.allCases {
            let latency = totals.modes[kind == .user ? 0 : 1].latency
            if latency.count > 0 { modes[kind.rawValue] = latency.encoded }
        }
        self.init(endpoints: endpoints, modes: modes)
    }
}
