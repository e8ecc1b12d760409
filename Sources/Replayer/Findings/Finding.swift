public import StampedeClient
public import StampedeCore

/// A distinct failure (one signature) seen during a run, with one example input.
///
/// The record is shaped like a crash-corpus entry (`CrashInfo`): corpus growth fills
/// `confirmed`, `reproduceRate` and `minimal` after re-sending and shrinking the example.
public struct Finding: Codable, Sendable, Equatable {
    /// The failure signature (hex), also the crash file's name.
    public var signature: String
    /// What kind of failure it is.
    public var failureClass: FailureClass
    /// `500`, `CURLE_RECV_ERROR`, `CURLE_OPERATION_TIMEDOUT`, `expected 2xx got 4xx`, ….
    public var failure: String
    /// The method of the failing request.
    public var method: String
    /// Endpoint template key of the failing request.
    public var endpoint: String
    /// The kind of client that met it.
    public var source: ClientKind
    /// Times the signature was seen.
    public var hits: Int
    /// ISO 8601 time of the first sighting.
    public var firstSeen: String
    /// ISO 8601 time of the latest sighting.
    public var lastSeen: String
    /// Seconds since the run started.
    public var firstSeenOffset: Double
    /// The normalized response fingerprint the signature covers.
    public var fingerprint: String
    /// The first input that produced it.
    public var example: FindingExample
    /// Whether re-sending the example reproduced the signature; `nil` until checked.
    public var confirmed: Bool?
    /// Share of confirmation attempts that reproduced it; nil until checked.
    public var reproduceRate: Double?
    /// Whether the input was shrunk.
    public var minimized: Bool
    /// The minimized input, once shrinking ran.
    public var minimal: FindingExample?
    /// The signatures seen during the load that triage merged into this finding (their
    /// minimal requests fail the same way); `nil` until triaged.
    public var rawSignatures: [String]? = nil
    /// The crash record to keep for this finding: the context steps and the minimal failing
    /// step, as templates. Not part of the report (the corpus holds it).
    public var crashRecord: Session? = nil
    /// The crash file triage wrote or updated for this finding.
    public var crashFile: String? = nil
    /// The reproducer script next to the crash file (`crashes/<signature>.sh`).
    public var crashScript: String? = nil
    /// `created` or `updated` (the signature already had a crash file).
    public var crashStatus: String? = nil

    enum CodingKeys: String, CodingKey {
        case signature, failure, method, endpoint, source, hits, fingerprint, example, confirmed, minimized, minimal
        case failureClass = "failure_class"
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
        case firstSeenOffset = "first_seen_offset_s"
        case reproduceRate = "reproduce_rate"
        case rawSignatures = "raw_signatures"
        case crashFile = "crash_file"
        case crashScript = "crash_script"
        case crashStatus = "crash_status"
    }
}

/// One concrete input that produced a finding, ready to paste.
public struct FindingExample: Codable, Sendable, Equatable {
    /// The corpus session and step the input derives from; `step` is the 1-based step number.
    public var session: String
    /// 1-based step number.
    public var step: Int
    /// The mutant's seed (monkey inputs), to regenerate it with `stampede mutate`.
    public var seed: UInt64?
    /// The mutation operations, in order (empty for a user step sent as recorded).
    public var operations: [String]
    /// The request as sent (variables rendered).
    public var request: RequestTemplate
    /// The full URL as sent.
    public var url: String
    /// A ready-to-paste curl command (secrets as `$STAMPEDE_SECRET_NAME`).
    public var curl: String
    /// Status received (0 when the transport failed).
    public var status: Int
    /// The first bytes of the response body, as text.
    public var responseExcerpt: String

    /// - Parameter stepIndex: the parent step's 0-based index (stored as the 1-based number).
    public init(
        session: String, stepIndex: Int, seed: UInt64?, operations: [String], request: RequestTemplate,
        url: String, curl: String, status: Int, responseExcerpt: String
    ) {
        self.session = session
        self.step = stepIndex + 1
        self.seed = seed
        self.operations = operations
        self.request = request
        self.url = url
        self.curl = curl
        self.status = status
        self.responseExcerpt = responseExcerpt
    }

    enum CodingKeys: String, CodingKey {
        case session, step, seed, operations, request, url, curl, status
        case responseExcerpt = "response_excerpt"
    }
}
