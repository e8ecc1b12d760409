#if canImport(Glibc)
import Glibc
#endif

/// How an engine worker waits for socket events and drives libcurl.
public enum EngineLoop: String, Sendable, CaseIterable {
    /// `curl_multi_socket_action` driven by epoll, with libcurl's timer and socket callbacks and an
    /// eventfd for wakeups: each round touches only the sockets that have events (Linux only;
    /// elsewhere it falls back to `perform`).
    case socketAction = "socket-action"
    /// `curl_multi_perform` + `curl_multi_poll`: the original loop, which polls every socket of the
    /// worker each round. Kept behind this switch until benchmarks retire it.
    case perform

    /// The loop a new engine uses unless told otherwise: `perform`, until `bench/engine.sh` and
    /// `bench/replay.sh` on an idle machine prove `socketAction` (#18 keeps the old loop behind
    /// the switch until then). `STAMPEDE_ENGINE_LOOP=socket-action` opts in.
    public static var platformDefault: EngineLoop {
        #if os(Linux)
        if let name = getenv("STAMPEDE_ENGINE_LOOP").map({ String(cString: $0) }), let loop = EngineLoop(rawValue: name) {
            return loop
        }
        #endif
        return .perform
    }
}
