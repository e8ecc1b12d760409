/// How an engine worker waits for socket events and drives libcurl.
public enum EngineLoop: String, Sendable, CaseIterable {
    /// `curl_multi_socket_action` driven by epoll, with libcurl's timer and socket callbacks and an
    /// eventfd for wakeups: each round touches only the sockets that have events (Linux only;
    /// elsewhere it falls back to `perform`).
    case socketAction = "socket-action"
    /// `curl_multi_perform` + `curl_multi_poll`: the original loop, which polls every socket of the
    /// worker each round. Kept behind this switch until benchmarks retire it.
    case perform

    /// The loop a new engine uses unless told otherwise: `socketAction` on Linux, else `perform`.
    public static var platformDefault: EngineLoop {
        #if os(Linux)
        return .socketAction
        #else
        return .perform
        #endif
    }
}
