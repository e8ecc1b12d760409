/// Why a transfer ended without a complete HTTP response, named by its `CURLcode`.
///
/// These names are the report's "exception types": `CURLE_COULDNT_CONNECT`,
/// `CURLE_OPERATION_TIMEDOUT`, `CURLE_GOT_NOTHING`, `CURLE_RECV_ERROR`, …
public struct TransportFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The numeric `CURLcode`.
    public var code: Int
    /// The code's name, e.g. `CURLE_OPERATION_TIMEDOUT`.
    public var name: String
    /// curl's detailed message for this transfer (its error buffer), else its generic message.
    public var message: String

    /// A failure with curl's code, name and message.
    public init(code: Int, name: String, message: String) {
        self.code = code
        self.name = name
        self.message = message
    }

    /// `<name>: <message>`.
    public var description: String { "\(name): \(message)" }
}

extension TransportFailure {
    /// `CURLE_OPERATION_TIMEDOUT`: no complete answer within the request's timeout.
    public var isTimeout: Bool { code == 28 }

    /// Raised by libcurl before anything was sent (a request it cannot form): says nothing about
    /// the target. `CURLE_URL_MALFORMAT`, `CURLE_OUT_OF_MEMORY`, `CURLE_ABORTED_BY_CALLBACK`,
    /// `CURLE_BAD_FUNCTION_ARGUMENT`.
    public var isLocal: Bool { [3, 27, 42, 43].contains(code) }

    /// The peer answered, but not with HTTP: `CURLE_WEIRD_SERVER_REPLY`, or
    /// `CURLE_UNSUPPORTED_PROTOCOL` (libcurl's answer to an HTTP/0.9 reply; the URL scheme itself
    /// is fixed by the base URL, which the run probes first).
    public var isProtocolViolation: Bool { code == 8 || code == 1 }
}
