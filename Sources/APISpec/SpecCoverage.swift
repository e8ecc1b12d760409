import Synchronization

/// Per-operation coverage of one run: requests, statuses seen, and whether the operation was
/// reached with real state (a 2xx to a request whose path parameters all came from variables).
public final class SpecCoverage: Sendable {
    struct Counter {
        var requests = 0
        var statuses: [Int: Int] = [:]
        var realState = false
    }

    /// The bound operations counted, in spec order.
    public let binding: SpecBinding
    private let counters: Mutex<[Counter]>

    /// Zeroed counters for every operation of `binding`.
    public init(binding: SpecBinding) {
        self.binding = binding
        counters = Mutex(Array(repeating: Counter(), count: binding.operations.count))
    }

    /// Counts one answered request.
    /// - Parameters:
    ///   - template: the path before rendering (`/scripts/{{script_id}}`), which says whether the
    ///     path parameters came from variables.
    ///   - path: the path as sent.
    public func record(method: String, path: String, template: String, status: Int) {
        guard let index = binding.spec.operationIndex(method: method, path: path) else { return }
        let real = status / 100 == 2 && Self.pathFromState(template, operation: binding.operations[index].operation)
        counters.withLock { c in
            c[index].requests += 1
            c[index].statuses[status, default: 0] += 1
            if real { c[index].realState = true }
        }
    }

    /// Whether every `{param}` place of the operation's path holds recorded state in `sentTemplate`:
    /// a `{{variable}}` or a recorded value, not the generated sample or the unbound `0`.
    static func pathFromState(_ sentTemplate: String, operation: SpecOperation) -> Bool {
        let template = PathMatcher.segments(operation.path)
        let places = template.map { $0.hasPrefix("{") && $0.hasSuffix("}") }
        guard places.contains(true) else { return true }
        var path = Substring(sentTemplate)
        if let q = path.firstIndex(of: "?") { path = path[..<q] }
        let segments = PathMatcher.segments(String(path))
        // A recorded prefix rewrite may change the segment count before the parameters: align from the end.
        let offset = segments.count - places.count
        guard offset >= 0 else { return false }
        for (i, isParameter) in places.enumerated() where isParameter {
            let segment = segments[offset + i]
            // `{{script_id}}`, or a recorded value (`shelf-{{vu.tag}}`, `shelf`): not the generated sample.
            let name = template[i].dropFirst().dropLast()
            let schema = operation.parameters.first { $0.location == .path && $0.name == name }?.schema
            if !segment.contains("{{"), segment == SampleValues.text(for: schema) || segment == "0" { return false }
        }
        return true
    }

    /// The coverage so far, one entry per operation in spec order.
    public func snapshot() -> [OperationCoverage] {
        let counters = counters.withLock { $0 }
        return zip(binding.operations, counters).map { bound, c in
            OperationCoverage(
                operation: bound.operation.id, method: bound.operation.method, path: bound.operation.path,
                recorded: bound.recorded, requests: c.requests,
                statusesSeen: c.statuses.keys.sorted().map(String.init),
                statusesDeclared: bound.operation.responses.map(\.status),
                realState: c.realState,
                bindings: bound.bindings.filter { $0.location == .path }.map { "\($0.parameter)←\($0.variable ?? $0.source.rawValue)" })
        }
    }
}

/// One operation's line in the report's coverage table.
public struct OperationCoverage: Codable, Sendable, Hashable {
    /// The operation's `operationId` (or `METHOD path`).
    public var operation: String
    /// Upper-case method.
    public var method: String
    /// The path as sent, `{param}` segments included.
    public var path: String
    /// Whether the corpus records it.
    public var recorded: Bool
    /// Requests answered that were instances of the operation.
    public var requests: Int
    /// Statuses seen, sorted.
    public var statusesSeen: [String]
    /// Statuses the spec declares (`200`, `4XX`, `default`).
    public var statusesDeclared: [String]
    /// Reached with a 2xx while its path parameters came from recorded or bound variables.
    public var realState: Bool
    /// `parameter←variable` (or `←generated`) per path parameter.
    public var bindings: [String]

    enum CodingKeys: String, CodingKey {
        case operation, method, path, recorded, requests
        case statusesSeen = "statuses_seen"
        case statusesDeclared = "statuses_declared"
        case realState = "real_state"
        case bindings
    }

    /// `operations: 41/43 exercised, 37 with real state`.
    public static func summaryLine(_ rows: [OperationCoverage]) -> String {
        let exercised = rows.count(where: { $0.requests > 0 })
        let real = rows.count(where: \.realState)
        return "operations: \(exercised)/\(rows.count) exercised, \(real) with real state"
    }
}
