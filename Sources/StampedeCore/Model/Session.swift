/// How a variable came to be; written by the recorder so `corpus show` can explain a session.
public struct VariableDefinition: Codable, Hashable, Sendable {
    /// Where a variable's value comes from.
    public enum Kind: String, Codable, Hashable, Sendable {
        /// Bound by an extract rule of an earlier step.
        case extracted
        /// Per-virtual-client identity (`vu.username`, `vu.email`, `vu.password`, `vu.index`).
        case client
        /// Produced fresh at each use (`random.uuid`, `now.ms`, …).
        case generator
        /// Read from the client's cookie jar (`cookie.csrf_token`).
        case cookie
    }

    /// The variable's name, as written between `{{ }}`.
    public var name: String
    /// Where its value comes from.
    public var kind: Kind
    /// Human-readable origin, e.g. `step 4 response /execution_id` or `redacted password`.
    public var origin: String?

    /// A variable definition; `origin` explains it to people.
    public init(name: String, kind: Kind, origin: String? = nil) {
        self.name = name
        self.kind = kind
        self.origin = origin
    }
}

/// Extra fields of a crash record: a minimized failing input found by the replayer.
public struct CrashInfo: Codable, Hashable, Sendable {
    /// The failure signature the record is filed under (its file name).
    public var signature: String
    /// `500`, `CURLE_RECV_ERROR`, `CURLE_OPERATION_TIMEDOUT`, ….
    public var failure: String
    /// `server_error`, `transport`, `timeout`, `expectation`, `slow`.
    public var failureClass: String
    /// Endpoint template key of the failing request.
    public var endpoint: String
    /// The mutation operations that produced the original failing input, in order.
    public var mutations: [String]
    /// The run seed that produced the failing input.
    public var seed: UInt64
    /// The id of the baseline session the failing input was derived from.
    public var parentSession: String
    /// Index (0-based) of the parent step in its session. Written as `parent_step_number`, the
    /// 1-based step number people read; records written before that carry the 0-based
    /// `parent_step`, which is still read.
    public var parentStep: Int
    /// Whether the failing input was shrunk to a minimal one.
    public var minimized: Bool
    /// ISO 8601 time of the first sighting.
    public var firstSeen: String
    /// ISO 8601 time of the latest sighting.
    public var lastSeen: String
    /// Times the failure was seen: the sum of ``sightingHits``.
    public var hits: Int
    /// Hits per sighting (one run's shard of one signature: `SIGNATURE RUN-ID#SHARD`), so merging the same
    /// record twice counts its hits once; nil in records written before sightings were kept.
    public var sightings: [String: Int]?
    /// Share of confirmation attempts that reproduced the failure (1 = always).
    public var reproduceRate: Double
    /// A ready-to-paste curl command for the minimal request.
    public var curl: String
    /// For a `body-schema` conformance finding: what its reproducer re-checks in the answer's body.
    public var bodyCheck: BodyCheck?

    /// A crash record's fields.
    public init(
        signature: String, failure: String, failureClass: String, endpoint: String,
        mutations: [String], seed: UInt64, parentSession: String, parentStep: Int,
        minimized: Bool, firstSeen: String, lastSeen: String, hits: Int,
        reproduceRate: Double, curl: String, bodyCheck: BodyCheck? = nil
    ) {
        self.signature = signature
        self.failure = failure
        self.failureClass = failureClass
        self.endpoint = endpoint
        self.mutations = mutations
        self.seed = seed
        self.parentSession = parentSession
        self.parentStep = parentStep
        self.minimized = minimized
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.hits = hits
        self.reproduceRate = reproduceRate
        self.curl = curl
        self.bodyCheck = bodyCheck
    }

    /// `failure_class` of transport failures (a dropped connection's CURLcode depends on timing).
    public static let transportClass = "transport"

    enum CodingKeys: String, CodingKey {
        case signature, failure, endpoint, mutations, seed, minimized, hits, curl
        case failureClass = "failure_class"
        case parentSession = "parent_session"
        case parentStepNumber = "parent_step_number"
        case legacyParentStep = "parent_step"
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
        case reproduceRate = "reproduce_rate"
        case sightings
        case bodyCheck = "body_check"
    }

    /// The sighting key of one run's shard: what ``sightings`` counts hits under.
    public static func sightingKey(signature: String, runID: String, shard: Int) -> String {
        "\(signature) \(runID)#\(shard)"
    }

    /// Hits per sighting; a record without ``sightings`` is one sighting, named by its signature and its
    /// first and last sighting times (the same record read twice has the same name).
    public var sightingHits: [String: Int] {
        sightings ?? ["\(signature) \(firstSeen)…\(lastSeen)": hits]
    }

    /// Reads a crash record (either step field name, with defaults for fields added later).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        signature = try c.decode(String.self, forKey: .signature)
        failure = try c.decode(String.self, forKey: .failure)
        failureClass = try c.decode(String.self, forKey: .failureClass)
        endpoint = try c.decode(String.self, forKey: .endpoint)
        mutations = try c.decode([String].self, forKey: .mutations)
        seed = try c.decode(UInt64.self, forKey: .seed)
        parentSession = try c.decode(String.self, forKey: .parentSession)
        if let number = try c.decodeIfPresent(Int.self, forKey: .parentStepNumber) {
            parentStep = number - 1
        } else {
            parentStep = try c.decode(Int.self, forKey: .legacyParentStep)
        }
        minimized = try c.decode(Bool.self, forKey: .minimized)
        firstSeen = try c.decode(String.self, forKey: .firstSeen)
        lastSeen = try c.decode(String.self, forKey: .lastSeen)
        hits = try c.decode(Int.self, forKey: .hits)
        reproduceRate = try c.decode(Double.self, forKey: .reproduceRate)
        curl = try c.decode(String.self, forKey: .curl)
        sightings = try c.decodeIfPresent([String: Int].self, forKey: .sightings)
        bodyCheck = try c.decodeIfPresent(BodyCheck.self, forKey: .bodyCheck)
    }

    /// Writes a crash record (`parent_step_number`, 1-based).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(signature, forKey: .signature)
        try c.encode(failure, forKey: .failure)
        try c.encode(failureClass, forKey: .failureClass)
        try c.encode(endpoint, forKey: .endpoint)
        try c.encode(mutations, forKey: .mutations)
        try c.encode(seed, forKey: .seed)
        try c.encode(parentSession, forKey: .parentSession)
        try c.encode(parentStep + 1, forKey: .parentStepNumber)
        try c.encode(minimized, forKey: .minimized)
        try c.encode(firstSeen, forKey: .firstSeen)
        try c.encode(lastSeen, forKey: .lastSeen)
        try c.encode(hits, forKey: .hits)
        try c.encode(reproduceRate, forKey: .reproduceRate)
        try c.encode(curl, forKey: .curl)
        try c.encodeIfPresent(sightings, forKey: .sightings)
        try c.encodeIfPresent(bodyCheck, forKey: .bodyCheck)
    }
}

/// An ordered list of steps replayed by one virtual client, as one line of a corpus.
///
/// In a crash record the steps before the last one are the context the failing request needs
/// (e.g. log in first), and the last step is the minimal failing request.
public struct Session: Codable, Hashable, Sendable {
    /// Unique within a corpus file.
    public var id: String
    /// A name for people (`login-and-run-script`).
    public var name: String?
    /// Relative weight when a user client picks its next session.
    public var weight: Double
    /// How the session's variables came to be (informational).
    public var variables: [VariableDefinition]
    /// The requests, in order.
    public var steps: [Step]
    /// Set in crash records only.
    public var crash: CrashInfo?

    /// A session of `steps`.
    public init(
        id: String,
        name: String? = nil,
        weight: Double = 1,
        variables: [VariableDefinition] = [],
        steps: [Step],
        crash: CrashInfo? = nil
    ) {
        self.id = id
        self.name = name
        self.weight = weight
        self.variables = variables
        self.steps = steps
        self.crash = crash
    }

    /// Reads a session; missing optional fields get their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        weight = try c.decodeIfPresent(Double.self, forKey: .weight) ?? 1
        variables = try c.decodeIfPresent([VariableDefinition].self, forKey: .variables) ?? []
        steps = try c.decode([Step].self, forKey: .steps)
        crash = try c.decodeIfPresent(CrashInfo.self, forKey: .crash)
    }

    /// Writes a session; nil and empty optional fields are left out.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encodeIfPresent(name, forKey: .name)
        try c.encode(weight, forKey: .weight)
        if !variables.isEmpty { try c.encode(variables, forKey: .variables) }
        try c.encode(steps, forKey: .steps)
        try c.encodeIfPresent(crash, forKey: .crash)
    }

    enum CodingKeys: String, CodingKey {
        case id, name, weight, variables, steps, crash
    }
}
