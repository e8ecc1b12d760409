/// Phase times of one transfer in microseconds, as libcurl's `CURLINFO_*_TIME_T` report them.
///
/// Every value is measured from the start of the transfer (curl's convention), so they are
/// cumulative: `dnsUs ≤ connectUs ≤ tlsUs ≤ ttfbUs ≤ totalUs` for a fresh connection. On a reused
/// connection DNS, connect and TLS are 0.
public struct Timings: Sendable, Equatable {
    /// Until name resolution finished (`CURLINFO_NAMELOOKUP_TIME_T`).
    public var dnsUs: Int64
    /// Until the TCP connection was established (`CURLINFO_CONNECT_TIME_T`).
    public var connectUs: Int64
    /// Until the TLS handshake finished (`CURLINFO_APPCONNECT_TIME_T`); 0 for plain HTTP.
    public var tlsUs: Int64
    /// Until the first response byte arrived (`CURLINFO_STARTTRANSFER_TIME_T`).
    public var ttfbUs: Int64
    /// Until the transfer ended (`CURLINFO_TOTAL_TIME_T`).
    public var totalUs: Int64

    /// Timings in microseconds; all zero by default.
    public init(dnsUs: Int64 = 0, connectUs: Int64 = 0, tlsUs: Int64 = 0, ttfbUs: Int64 = 0, totalUs: Int64 = 0) {
        self.dnsUs = dnsUs
        self.connectUs = connectUs
        self.tlsUs = tlsUs
        self.ttfbUs = ttfbUs
        self.totalUs = totalUs
    }
}
