/// What replaying one crash record found: the bug is still there, or fixed.
public struct RegressionResult: Codable, Sendable, Equatable {
    /// Whether the crash record still fails.
    public enum Status: String, Codable, Sendable {
        case stillFailing = "still_failing"
        case fixed
    }

    /// The crash record's signature.
    public var signature: String
    /// Endpoint template key of the failing step.
    public var endpoint: String
    /// The recorded failure class.
    public var failureClass: String
    /// The recorded failure (status or CURLcode).
    public var failure: String
    /// Still failing or fixed.
    public var status: Status
    /// What the failing step got this time: a status code or a CURLcode name.
    public var observed: String
    /// The crash file replayed.
    public var file: String?
    /// The failing request as sent this time.
    public var curl: String

    /// One replayed crash record's outcome.
    public init(
        signature: String, endpoint: String, failureClass: String, failure: String, status: Status, observed: String,
        file: String?, curl: String
    ) {
        self.signature = signature
        self.endpoint = endpoint
        self.failureClass = failureClass
        self.failure = failure
        self.status = status
        self.observed = observed
        self.file = file
        self.curl = curl
    }

    enum CodingKeys: String, CodingKey {
        case signature, endpoint, failure, status, observed, file, curl
        case failureClass = "failure_class"
    }
}
