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
