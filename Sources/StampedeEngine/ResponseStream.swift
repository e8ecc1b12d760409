public import StampedeHTTP

/// A streaming hook on one request: the response head and every body chunk as they arrive.
///
/// The recording proxy uses it to pass responses (server-sent events above all) through to its
/// client live while the engine still keeps its bounded body prefix for the final
/// `EngineResponse`. Both callbacks run on the engine's worker thread, inside libcurl's callbacks:
/// they must be quick and must not block (hand the bytes to an `AsyncStream` or a queue).
///
/// ```swift
/// var request = EngineRequest(url: "http://127.0.0.1:8000/api/v1/events/executions/1")
/// request.stream = ResponseStream(
///     onHead: { status, headers in /* start the client's response */ },
///     onBodyChunk: { bytes in /* forward */ return true }
/// )
/// ```
public struct ResponseStream: Sendable, Equatable {
    /// Called once, when the final (non-1xx) response head is complete: status and headers.
    public var onHead: @Sendable (Int, [HTTPHeader]) -> Void
    /// Called for each body chunk as received; returning `false` aborts the transfer (the
    /// response then fails with `CURLE_WRITE_ERROR`), e.g. when the downstream client went away.
    public var onBodyChunk: @Sendable ([UInt8]) -> Bool
    /// Identity for `Equatable` (closures cannot be compared): copies of one hook are equal.
    private let identity: Identity

    /// A hook calling `onHead` once, then `onBodyChunk` for each chunk.
    public init(onHead: @escaping @Sendable (Int, [HTTPHeader]) -> Void, onBodyChunk: @escaping @Sendable ([UInt8]) -> Bool) {
        self.onHead = onHead
        self.onBodyChunk = onBodyChunk
        self.identity = Identity()
    }

    /// Copies of one hook are equal; separately made hooks are not.
    public static func == (lhs: ResponseStream, rhs: ResponseStream) -> Bool {
        lhs.identity === rhs.identity
    }

    private final class Identity: Sendable {}
}
