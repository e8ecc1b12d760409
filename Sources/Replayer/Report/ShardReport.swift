/// Which part of a sharded run a report covers (`shard` in the report).
public struct ShardReport: Codable, Sendable, Equatable {
    /// 0-based shard number.
    public var index: Int
    /// How many shards the run has.
    public var count: Int
    /// The run id every shard shares (`--run-id`).
    public var runID: String
    /// The global client indices this shard ran, ascending.
    public var clients: [Int]

    /// The part of a run one shard played.
    public init(index: Int, count: Int, runID: String, clients: [Int]) {
        self.index = index
        self.count = count
        self.runID = runID
        self.clients = clients
    }

    enum CodingKeys: String, CodingKey {
        case index, count, clients
        case runID = "run_id"
    }
}
