/// A libcurl setup call failed (not a transfer: those end in a `TransportFailure`).
public struct EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The libcurl function that failed, e.g. `curl_multi_init`.
    public var call: String
    /// The numeric `CURLcode`/`CURLMcode`, or -1 when the failure was not a libcurl code.
    public var code: Int
    /// The code's name (`CURLE_…`) when known.
    public var name: String
    /// libcurl's own message for the code.
    public var message: String

    /// An error for a failed libcurl call.
    public init(call: String, code: Int, name: String, message: String) {
        self.call = call
        self.code = code
        self.name = name
        self.message = message
    }

    /// `<call> failed: <name>: <message>`.
    public var description: String { "\(call) failed: \(name): \(message)" }
}
