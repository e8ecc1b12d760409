internal import CCurl
import Synchronization

/// Calls `curl_global_init` exactly once per process, before any worker thread starts.
enum CurlGlobal {
    private static let result = Mutex<CURLcode?>(nil)

    static func initialize() throws(EngineError) {
        let code = result.withLock { result in
            if let result { return result }
            let code = stampede_global_init_all()
            result = code
            return code
        }
        try Curl.check(code, "curl_global_init")
    }
}
