internal import CCurl
import StampedeHTTP

/// One reusable libcurl easy handle plus the state of the transfer it is running.
///
/// Owned by one `WorkerLoop` and used only on its thread; libcurl's callbacks reach it through
/// `Unmanaged` user data, without retaining it (the worker's handle list keeps it alive).
final class EasyHandle {
    let curl: UnsafeMutableRawPointer
    private let configuration: EngineConfiguration
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// Holds the request body for the duration of a transfer: libcurl's `POSTFIELDS` does not copy.
    private var bodyStorage: UnsafeMutableRawPointer
    private var bodyCapacity: Int
    private var headerList: UnsafeMutablePointer<curl_slist>?
    /// The URL libcurl holds; closed-loop clients repeat URLs, and setting one copies and parses it.
    private var lastURL = ""
    /// The worker's share handle with a pool apart (`EngineRequest.separateConnections`).
    private let separatePool: UnsafeMutableRawPointer?
    private var lastShare: UnsafeMutableRawPointer?
    private var closesConnection = false

    // The running transfer.
    var job: WorkerJob?
    var startedAt: ContinuousClock.Instant = .now
    /// The head and body prefix of the running transfer: handed to its response at the end, so an
    /// idle handle holds no buffers (memory scales with transfers in flight, not handles).
    private var headerBytes: [UInt8] = []
    private var bodyPrefix: [UInt8] = []
    private var bodyCount = 0
    private var sse: SSEState?
    /// True when the SSE window (not the request timeout) is the transfer's time limit.
    private var windowIsLimit = false
    /// The running transfer's streaming hook, and whether its head was delivered.
    private var stream: ResponseStream?
    private var headDelivered = false

    struct SSEState {
        var parser = SSEParser()
        var events: [SSEEvent] = []
        var count = 0
        var maxEvents: Int
        var firstEventAt: ContinuousClock.Instant?

        /// Time to the first event on libcurl's timeline (its total time minus the time from the
        /// event to the end), so it never exceeds `Timings.totalUs`: the handle's own start instant
        /// precedes libcurl's start by however long the worker took to run the new transfer.
        func timeToFirstEventUs(totalUs: Int64, finishedAt: ContinuousClock.Instant) -> Int64? {
            firstEventAt.map { min(totalUs, max(0, totalUs - (finishedAt - $0).microseconds)) }
        }
    }

    init(configuration: EngineConfiguration, separatePool: UnsafeMutableRawPointer? = nil) throws(EngineError) {
        self.separatePool = separatePool
        guard let curl = curl_easy_init() else {
            throw EngineError(call: "curl_easy_init", code: Int(CURLE_FAILED_INIT.rawValue), name: "CURLE_FAILED_INIT", message: "curl_easy_init returned NULL")
        }
        self.curl = curl
        self.configuration = configuration
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        bodyCapacity = Self.initialBodyCapacity
        bodyStorage = .allocate(byteCount: bodyCapacity, alignment: 16)
        do {
            try setUpOnce()
        } catch {
            curl_easy_cleanup(curl)
            errorBuffer.deallocate()
            bodyStorage.deallocate()
            throw error
        }
    }

    deinit {
        curl_easy_cleanup(curl)
        if let headerList { curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
        bodyStorage.deallocate()
    }

    /// Options that never change between transfers on this handle.
    private func setUpOnce() throws(EngineError) {
        let me = Unmanaged.passUnretained(self).toOpaque()
        try Curl.check(stampede_easy_setopt_ptr(curl, CURLOPT_PRIVATE, me), "curl_easy_setopt(CURLOPT_PRIVATE)")
        try Curl.check(stampede_easy_setopt_long(curl, CURLOPT_NOSIGNAL, 1), "curl_easy_setopt(CURLOPT_NOSIGNAL)")
        try Curl.check(stampede_easy_setopt_ptr(curl, CURLOPT_ERRORBUFFER, errorBuffer), "curl_easy_setopt(CURLOPT_ERRORBUFFER)")
        try Curl.check(stampede_easy_setopt_write_cb(curl, CURLOPT_WRITEFUNCTION) { pointer, size, count, user in
            let length = size * count
            guard let pointer, let user else { return length }
            let keepGoing = Unmanaged<EasyHandle>.fromOpaque(user)._withUnsafeGuaranteedRef {
                $0.receiveBody(UnsafeRawBufferPointer(start: pointer, count: length))
            }
            return keepGoing ? length : 0  // a short count makes libcurl abort with CURLE_WRITE_ERROR
        }, "curl_easy_setopt(CURLOPT_WRITEFUNCTION)")
        try Curl.check(stampede_easy_setopt_ptr(curl, CURLOPT_WRITEDATA, me), "curl_easy_setopt(CURLOPT_WRITEDATA)")
        try Curl.check(stampede_easy_setopt_write_cb(curl, CURLOPT_HEADERFUNCTION) { pointer, size, count, user in
            let length = size * count
            guard let pointer, let user else { return length }
            Unmanaged<EasyHandle>.fromOpaque(user)._withUnsafeGuaranteedRef {
                $0.receiveHeader(UnsafeRawBufferPointer(start: pointer, count: length))
            }
            return length
        }, "curl_easy_setopt(CURLOPT_HEADERFUNCTION)")
        try Curl.check(stampede_easy_setopt_ptr(curl, CURLOPT_HEADERDATA, me), "curl_easy_setopt(CURLOPT_HEADERDATA)")
        // A fuzzer must send `/a/../b` as written, not as curl would normalize it.
        try Curl.check(stampede_easy_setopt_long(curl, CURLOPT_PATH_AS_IS, 1), "curl_easy_setopt(CURLOPT_PATH_AS_IS)")
        let verify = configuration.verifyTLS
        try Curl.check(stampede_easy_setopt_long(curl, CURLOPT_SSL_VERIFYPEER, verify ? 1 : 0), "curl_easy_setopt(CURLOPT_SSL_VERIFYPEER)")
        try Curl.check(stampede_easy_setopt_long(curl, CURLOPT_SSL_VERIFYHOST, verify ? 2 : 0), "curl_easy_setopt(CURLOPT_SSL_VERIFYHOST)")
        if let caCertPath = configuration.caCertPath {
            try Curl.check(caCertPath.withCString { stampede_easy_setopt_cstr(curl, CURLOPT_CAINFO, $0) }, "curl_easy_setopt(CURLOPT_CAINFO)")
        }
        if configuration.connectTimeoutMs > 0 {
            try Curl.check(stampede_easy_setopt_long(curl, CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeoutMs), "curl_easy_setopt(CURLOPT_CONNECTTIMEOUT_MS)")
        }
        if !configuration.useEnvironmentProxy {
            // An empty proxy disables libcurl's per-transfer *_proxy environment lookups: the
            // target is named explicitly, and the lookups cost measurable CPU per request.
            try Curl.check(stampede_easy_setopt_cstr(curl, CURLOPT_PROXY, ""), "curl_easy_setopt(CURLOPT_PROXY)")
        }
        if configuration.connectionIdleSeconds > 0 {
            try Curl.check(stampede_easy_setopt_long(curl, CURLOPT_MAXAGE_CONN, configuration.connectionIdleSeconds), "curl_easy_setopt(CURLOPT_MAXAGE_CONN)")
        }
        if configuration.receiveBufferSize > 0 {
            let size = min(max(configuration.receiveBufferSize, 1_024), 524_288)
            try Curl.check(stampede_easy_setopt_long(curl, CURLOPT_BUFFERSIZE, size), "curl_easy_setopt(CURLOPT_BUFFERSIZE)")
        }
        if configuration.uploadBufferSize > 0 {
            let size = min(max(configuration.uploadBufferSize, 16_384), 2_097_152)
            try Curl.check(stampede_easy_setopt_long(curl, CURLOPT_UPLOAD_BUFFERSIZE, size), "curl_easy_setopt(CURLOPT_UPLOAD_BUFFERSIZE)")
        }
        if !configuration.http2 {
            try Curl.check(stampede_easy_setopt_long(curl, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1)), "curl_easy_setopt(CURLOPT_HTTP_VERSION)")
        }
    }

    /// Prepares the handle for `job`'s request; the handle must not be in a multi.
    func configure(for job: WorkerJob, now: ContinuousClock.Instant) throws(EngineError) {
        let request = job.request
        self.job = job
        startedAt = now
        headerBytes.removeAll()
        bodyPrefix.removeAll()
        bodyCount = 0
        errorBuffer[0] = 0
        stream = request.stream
        headDelivered = false
        if let options = request.sse {
            sse = SSEState(maxEvents: max(0, options.maxEvents))
        } else {
            sse = nil
        }

        // The pool is chosen when the handle joins the multi: a share handle's, or the multi's own.
        let share = request.separateConnections ? separatePool : nil
        if share != lastShare {
            try Curl.check(stampede_easy_setopt_ptr(curl, CURLOPT_SHARE, share), "curl_easy_setopt(CURLOPT_SHARE)")
            lastShare = share
        }
        if request.closesConnection != closesConnection {
            try Curl.check(stampede_easy_setopt_long(curl, CURLOPT_FORBID_REUSE, request.closesConnection ? 1 : 0), "curl_easy_setopt(CURLOPT_FORBID_REUSE)")
            closesConnection = request.closesConnection
        }
        if request.url != lastURL {
            try Curl.check(request.url.withCString { stampede_easy_setopt_cstr(curl, CURLOPT_URL, $0) }, "curl_easy_setopt(CURLOPT_URL)")
            lastURL = request.url
        }
        if configuration.http2 {
            let tls = request.url.utf8.starts(with: "https:".utf8) || request.url.utf8.starts(with: "HTTPS:".utf8)
            // Cleartext HTTP/2 is h2c by prior knowledge, except on libcurl < 8.0, whose prior-knowledge
            // connections break on reuse ("Error in the HTTP2 framing layer", curl#10634): there the
            // request offers an h2c upgrade and stays HTTP/1.1 when the server declines.
            let version = tls ? CURL_HTTP_VERSION_2TLS : (Curl.priorKnowledgeReuseWorks ? CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE : CURL_HTTP_VERSION_2_0)
            try Curl.check(stampede_easy_setopt_long(curl, CURLOPT_HTTP_VERSION, Int(version)), "curl_easy_setopt(CURLOPT_HTTP_VERSION)")
        }

        let sendsBody = try setMethodAndBody(request)
        try setHeaders(request.headers, sendsBody: sendsBody)

        // Time limit: the SSE window is a hard cut; the request timeout applies when it is shorter.
        var limit = request.timeoutMs
        windowIsLimit = false
        if let options = request.sse, options.windowMs > 0, limit <= 0 || options.windowMs <= limit {
            limit = options.windowMs
            windowIsLimit = true
        }
        try Curl.check(stampede_easy_setopt_long(curl, CURLOPT_TIMEOUT_MS, max(0, limit)), "curl_easy_setopt(CURLOPT_TIMEOUT_MS)")
    }

    /// Sets the method and the body; returns whether a body is sent.
    private func setMethodAndBody(_ request: EngineRequest) throws(EngineError) -> Bool {
        // Method and body. The order matters: HTTPGET clears NOBODY, POSTFIELDS switches to POST,
        // and CUSTOMREQUEST then only replaces the method token on the wire.
        let method = request.method
        let sendsBody = method != "HEAD" && (!request.body.isEmpty || method == "POST" || method == "PUT" || method == "PATCH")
        if method == "HEAD" {
            try Curl.check(stampede_easy_setopt_long(curl, CURLOPT_HTTPGET, 1), "curl_easy_setopt(CURLOPT_HTTPGET)")
            try Curl.check(stampede_easy_setopt_long(curl, CURLOPT_NOBODY, 1), "curl_easy_setopt(CURLOPT_NOBODY)")
        } else if sendsBody {
            try Curl.check(stampede_easy_setopt_long(curl, CURLOPT_NOBODY, 0), "curl_easy_setopt(CURLOPT_NOBODY)")
            let count = request.body.count
            if count > bodyCapacity {
                bodyStorage.deallocate()
                bodyCapacity = max(count, bodyCapacity * 2)
                bodyStorage = .allocate(byteCount: bodyCapacity, alignment: 16)
            }
            request.body.withUnsafeBytes { bytes in
                if let base = bytes.baseAddress { bodyStorage.copyMemory(from: base, byteCount: count) }
            }
            try Curl.check(stampede_easy_setopt_off(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(count)), "curl_easy_setopt(CURLOPT_POSTFIELDSIZE_LARGE)")
            try Curl.check(stampede_easy_setopt_ptr(curl, CURLOPT_POSTFIELDS, bodyStorage), "curl_easy_setopt(CURLOPT_POSTFIELDS)")
        } else {
            try Curl.check(stampede_easy_setopt_long(curl, CURLOPT_HTTPGET, 1), "curl_easy_setopt(CURLOPT_HTTPGET)")
        }
        let needsCustom = !((method == "GET" && !sendsBody) || method == "HEAD" || (method == "POST" && sendsBody))
        if needsCustom {
            try Curl.check(method.withCString { stampede_easy_setopt_cstr(curl, CURLOPT_CUSTOMREQUEST, $0) }, "curl_easy_setopt(CURLOPT_CUSTOMREQUEST)")
        } else {
            try Curl.check(stampede_easy_setopt_cstr(curl, CURLOPT_CUSTOMREQUEST, nil), "curl_easy_setopt(CURLOPT_CUSTOMREQUEST)")
        }
        return sendsBody
    }

    private func setHeaders(_ headers: [HTTPHeader], sendsBody: Bool) throws(EngineError) {
        if headers.isEmpty && !sendsBody && headerList == nil { return }
        if let headerList {
            curl_slist_free_all(headerList)
            self.headerList = nil
        }
        var list: UnsafeMutablePointer<curl_slist>?
        var hasContentType = false
        var hasExpect = false
        for header in headers {
            if HTTPHeader.namesEqual(header.name, "content-type") { hasContentType = true }
            if HTTPHeader.namesEqual(header.name, "expect") { hasExpect = true }
            // "Name:" would tell curl to drop the header; "Name;" sends it with an empty value.
            let line = header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)"
            guard let appended = line.withCString({ curl_slist_append(list, $0) }) else {
                if let list { curl_slist_free_all(list) }
                throw EngineError(call: "curl_slist_append", code: Int(CURLE_OUT_OF_MEMORY.rawValue), name: "CURLE_OUT_OF_MEMORY", message: "curl_slist_append returned NULL")
            }
            list = appended
        }
        if sendsBody {
            // Suppress what libcurl would add on its own to a body: a form content type and
            // `Expect: 100-continue` (an extra round trip the recorded client never made).
            if !hasContentType { list = curl_slist_append(list, "Content-Type:") ?? list }
            if !hasExpect { list = curl_slist_append(list, "Expect:") ?? list }
        }
        headerList = list
        try Curl.check(stampede_easy_setopt_slist(curl, CURLOPT_HTTPHEADER, list), "curl_easy_setopt(CURLOPT_HTTPHEADER)")
    }

    // MARK: Callbacks (libcurl calls these on the worker thread, inside curl_multi_perform)

    private func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bodyCount += bytes.count
        let room = configuration.bodyPrefixLimit - bodyPrefix.count
        if room > 0 {
            // One allocation of the right size for the usual single-chunk body.
            if bodyPrefix.capacity == 0 { bodyPrefix.reserveCapacity(min(room, max(bytes.count, 256))) }
            bodyPrefix.append(contentsOf: room >= bytes.count ? bytes : UnsafeRawBufferPointer(rebasing: bytes[..<room]))
        }
        if sse != nil { receiveEvents(bytes) }
        if let stream { return streamBody(bytes, to: stream) }
        return true
    }

    private func receiveEvents(_ bytes: UnsafeRawBufferPointer) {
        guard var state = sse else { return }
        sse = nil  // keep the state uniquely referenced while it is mutated
        state.parser.feed(bytes) { event in
            if state.firstEventAt == nil { state.firstEventAt = .now }
            state.count += 1
            if state.events.count < state.maxEvents { state.events.append(event) }
        }
        sse = state
    }

    private func receiveHeader(_ bytes: UnsafeRawBufferPointer) {
        // A new status line starts a new header block (after `100 Continue` or other 1xx).
        if HeaderBlock.isStatusLine(bytes) { headerBytes.removeAll(keepingCapacity: true) }
        if headerBytes.capacity == 0 { headerBytes.reserveCapacity(512) }
        headerBytes.append(contentsOf: bytes)
        if stream != nil, bytes.count <= 2, bytes.allSatisfy({ $0 == 0x0D || $0 == 0x0A }) { streamHead() }
    }

    // MARK: Streaming hook (ResponseStream; used by the recording proxy)

    /// At the blank line ending a header block: hands over the final (non-1xx) head once.
    private func streamHead() {
        guard let stream, !headDelivered else { return }
        var status = 0
        _ = stampede_easy_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &status)
        guard status >= 200 else { return }
        headDelivered = true
        stream.onHead(status, HeaderBlock(bytes: headerBytes).headers)
    }

    private func streamBody(_ bytes: UnsafeRawBufferPointer, to stream: ResponseStream) -> Bool {
        if !headDelivered { streamHead() }
        return stream.onBodyChunk(Array(bytes))
    }

    // MARK: Completion

    /// The request-body storage a handle keeps between transfers; a larger body's storage is
    /// freed when its transfer ends. A user flow's small bodies (logins, small JSON) fit; larger
    /// bodies cost one allocation each, a fraction of libcurl's own per transfer. A 16 KiB cap let a
    /// 1,000-client soak climb for minutes as one handle after another drew a 5–16 KiB mutant, and
    /// 4 KiB still for the first five.
    static let retainedBodyCapacity = 1_024

    /// The request-body storage a new handle starts with, and a large body's storage returns to.
    static let initialBodyCapacity = 256

    /// Frees the storage of a body larger than `retainedBodyCapacity` once its transfer is over.
    /// Kept, each pooled handle would grow to the largest body it ever sent: a monkey load sends
    /// nesting and width bombs up to `--max-body` now and then, so the memory of a long run rose
    /// with every handle that drew one (`bench/soak.sh`). libcurl reads `CURLOPT_POSTFIELDS` only
    /// during a transfer, and the next transfer that sends a body sets it again.
    private func releaseLargeBodyStorage() {
        guard bodyCapacity > Self.retainedBodyCapacity else { return }
        bodyStorage.deallocate()
        bodyCapacity = Self.initialBodyCapacity
        bodyStorage = .allocate(byteCount: bodyCapacity, alignment: 16)
    }

    /// The capacity of the request-body storage (`EasyHandleTests`).
    var requestBodyCapacity: Int { bodyCapacity }

    /// Builds the response for the finished transfer and clears the transfer state.
    func finish(result: CURLcode, now: ContinuousClock.Instant) -> (WorkerJob, EngineResponse)? {
        guard let job else { return nil }
        self.job = nil
        stream = nil
        var response = EngineResponse()
        var status = 0
        _ = stampede_easy_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &status)
        response.status = status
        var connects = 0
        _ = stampede_easy_getinfo_long(curl, CURLINFO_NUM_CONNECTS, &connects)
        response.newConnections = connects
        response.timings = Timings(
            dnsUs: info(CURLINFO_NAMELOOKUP_TIME_T),
            connectUs: info(CURLINFO_CONNECT_TIME_T),
            tlsUs: info(CURLINFO_APPCONNECT_TIME_T),
            ttfbUs: info(CURLINFO_STARTTRANSFER_TIME_T),
            totalUs: info(CURLINFO_TOTAL_TIME_T)
        )
        response.setHead(headerBytes)
        response.body = bodyPrefix
        headerBytes = []
        bodyPrefix = []
        releaseLargeBodyStorage()
        response.bodyBytes = bodyCount
        let origin = job.request.scheduledAt ?? job.submittedAt
        response.startDelayUs = max(0, (startedAt - origin).microseconds)
        response.latencyUs = max(0, (now - origin).microseconds)

        if result != CURLE_OK {
            let cut = sse != nil && result == CURLE_OPERATION_TIMEDOUT && windowIsLimit && status > 0
            if !cut {
                response.failure = Curl.failure(result, detail: String(cString: errorBuffer))
            }
            if var state = sse { state.parser = SSEParser(); sse = state }
            response.sse = sse.map { sseResult($0, response: response, cut: cut, now: now) }
        } else {
            response.sse = sse.map { sseResult($0, response: response, cut: false, now: now) }
        }
        sse = nil
        return (job, response)
    }

    private func sseResult(_ state: SSEState, response: EngineResponse, cut: Bool, now: ContinuousClock.Instant) -> SSEResult {
        let first = state.timeToFirstEventUs(totalUs: response.timings.totalUs, finishedAt: now)
        return SSEResult(events: state.events, eventCount: state.count, timeToFirstEventUs: first, cutByWindow: cut)
    }

    private func info(_ key: CURLINFO) -> Int64 {
        var value: curl_off_t = 0
        _ = stampede_easy_getinfo_off(curl, key, &value)
        return Int64(value)
    }
}

@available(*, unavailable)
extension EasyHandle: Sendable {}

extension Duration {
    /// Whole microseconds, truncated toward zero.
    var microseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
