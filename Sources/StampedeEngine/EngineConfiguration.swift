#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Settings shared by every transfer of one `HTTPEngine`.
public struct EngineConfiguration: Sendable, Equatable {
    /// Worker threads, each with its own libcurl multi handle and connection cache.
    public var workers: Int
    /// Verify the server's TLS certificate and host name; on by default. The CLI turns it off
    /// unless `LOAD_VERIFY_TLS` says otherwise, as the original suite, for self-signed local backends.
    public var verifyTLS: Bool
    /// A CA bundle for private CAs (`--cacert`).
    public var caCertPath: String?
    /// Opt into HTTP/2: ALPN `h2` for `https://`; for `http://`, h2c by prior knowledge (libcurl ≥ 8.0)
    /// or an h2c upgrade offer (older libcurl, whose prior-knowledge connection reuse is broken).
    public var http2: Bool
    /// How many response body bytes to keep per transfer; every byte is still counted.
    public var bodyPrefixLimit: Int
    /// The TCP (and TLS) connect timeout in milliseconds; 0 means libcurl's default (300 s).
    public var connectTimeoutMs: Int
    /// The connection cache size per worker (`CURLMOPT_MAXCONNECTS`); 0 keeps libcurl's default.
    public var maxConnectionsPerWorker: Int
    /// Seconds a keep-alive connection may sit idle and still be reused (`CURLOPT_MAXAGE_CONN`);
    /// older ones are closed when libcurl next prunes its cache (at most once a second). 0 keeps
    /// libcurl's 118 s. Short, so that each connection pool follows the recent load: with libcurl's
    /// default a pool kept as many connections as the most transfers it ran at once in the last two
    /// minutes, which still rose minutes into a steady run.
    public var connectionIdleSeconds: Int
    /// Honour `http_proxy`/`https_proxy`/`no_proxy` from the environment; off by default (the
    /// target is given explicitly, and the lookup costs CPU on every transfer).
    public var useEnvironmentProxy: Bool
    /// How each worker waits on its sockets (see `EngineLoop`).
    public var loop: EngineLoop
    /// libcurl's receive buffer per transfer (`CURLOPT_BUFFERSIZE`) in bytes, clamped to
    /// 1 KiB–512 KiB; 0 keeps libcurl's 16 KiB. Small responses need little: the buffer is
    /// per easy handle, so it is paid once per concurrent transfer.
    public var receiveBufferSize: Int
    /// libcurl's upload buffer per transfer (`CURLOPT_UPLOAD_BUFFERSIZE`) in bytes, clamped to
    /// libcurl's 16 KiB–2 MiB; 0 keeps libcurl's 64 KiB.
    public var uploadBufferSize: Int
    /// The base URL whose scheme, host and port every request must use (`RequestGuard`); a
    /// request for another origin fails locally and is not sent. Nil allows any origin.
    public var allowedOrigin: String?

    /// Settings with the documented defaults.
    public init(
        workers: Int = EngineConfiguration.coreCount,
        verifyTLS: Bool = true,
        caCertPath: String? = nil,
        http2: Bool = false,
        bodyPrefixLimit: Int = 65_536,
        connectTimeoutMs: Int = 10_000,
        maxConnectionsPerWorker: Int = 0,
        connectionIdleSeconds: Int = 15,
        useEnvironmentProxy: Bool = false,
        loop: EngineLoop = .platformDefault,
        receiveBufferSize: Int = 0,
        uploadBufferSize: Int = 0,
        allowedOrigin: String? = nil
    ) {
        self.workers = workers
        self.verifyTLS = verifyTLS
        self.caCertPath = caCertPath
        self.http2 = http2
        self.bodyPrefixLimit = bodyPrefixLimit
        self.connectTimeoutMs = connectTimeoutMs
        self.maxConnectionsPerWorker = maxConnectionsPerWorker
        self.connectionIdleSeconds = connectionIdleSeconds
        self.useEnvironmentProxy = useEnvironmentProxy
        self.loop = loop
        self.receiveBufferSize = receiveBufferSize
        self.uploadBufferSize = uploadBufferSize
        self.allowedOrigin = allowedOrigin
    }

    /// The total receive-buffer memory `receiveBufferSize(forConcurrentTransfers:)` aims at.
    public static let receiveBufferBudget = 4 << 20

    /// A receive buffer for `transfers` concurrent transfers: libcurl's 16 KiB while the buffers of
    /// all of them fit in `receiveBufferBudget` (up to 256 transfers), then the budget shared out
    /// in whole KiB (4 KiB at 1,000), down to libcurl's 1 KiB minimum (from 2,049 transfers). libcurl
    /// allocates the buffer when a transfer starts and frees it when it ends, so at high concurrency
    /// it is most of the per-connection memory that is not fixed, and the heap swings with the number
    /// of transfers running; a smaller buffer only costs more `recv` calls for bodies larger than it.
    public static func receiveBufferSize(forConcurrentTransfers transfers: Int) -> Int {
        let share = receiveBufferBudget / max(1, transfers)
        return min(16_384, max(1_024, share / 1_024 * 1_024))
    }

    /// The number of online CPU cores (at least 1).
    public static var coreCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}
