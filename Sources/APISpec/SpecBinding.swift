public import StampedeCore

/// How one parameter of an operation gets its value.
public struct ParameterBinding: Sendable, Hashable, Codable {
    /// Where the value comes from.
    public enum Source: String, Sendable, Hashable, Codable {
        /// The operation is recorded: the recorded step's request is used as it is.
        case recorded
        /// An extracted variable of the same name (`bucket_id` ↔ `bucket_id`).
        case name
        /// The variable recorded paths use at the same place under the same collection
        /// (`/scripts/{id}` ↔ `PUT /scripts/{{script_id}}`), or the `id` its create step extracts.
        case collection
        /// An OpenAPI `links` entry from a recorded operation's response.
        case link
        /// Nothing recorded: a value generated from the schema.
        case generated
    }

    /// The parameter's name in the spec.
    public var parameter: String
    /// Where the parameter goes.
    public var location: SpecOperation.Location
    /// Where its value comes from.
    public var source: Source
    /// The `{{variable}}` the value comes from (nil when generated or recorded).
    public var variable: String?
}

/// One operation with its base request: the recorded step's when there is one, else built from
/// the spec with bound `{{variables}}` and generated values.
public struct BoundOperation: Sendable {
    /// The spec operation.
    public var operation: SpecOperation
    /// Whether a recorded step is an instance of the operation.
    public var recorded: Bool
    /// How each bound parameter gets its value.
    public var bindings: [ParameterBinding]
    /// The request a monkey starts from (templates resolved per client at send time).
    public var request: RequestTemplate

    /// Whether every path parameter comes from recorded state (nothing generated).
    public var hasRealState: Bool {
        recorded || !bindings.contains { $0.location == .path && $0.source == .generated }
    }
}

/// Every operation of a spec bound to a corpus.
///
/// ```swift
/// let binding = SpecBinding(spec: spec, sessions: corpus.sessions, apiPrefix: "/api/v1")
/// let extra = binding.sessions   // one weight-0 session per operation, for the monkeys
/// ```
public struct SpecBinding: Sendable {
    /// Session ids of the operation sessions start with this.
    public static let sessionPrefix = "spec:"

    /// The spec that was bound.
    public let spec: APISpecification
    /// One per spec operation, in spec order.
    public let operations: [BoundOperation]

    /// Binds every operation of `spec` to what `sessions` recorded.
    public init(spec: APISpecification, sessions: [Session], apiPrefix: String = "/api/v1") {
        self.spec = spec
        let state = RecordedState(sessions: sessions, apiPrefix: apiPrefix, spec: spec)
        operations = spec.operations.enumerated().map { Self.bind($1, index: $0, spec: spec, state: state) }
    }

    /// One single-step session per operation, weight 0 (users never pick them; monkeys use
    /// them as parents), id `spec:<operationId>`.
    public var sessions: [Session] {
        operations.map { bound in
            Session(
                id: Self.sessionPrefix + bound.operation.id, name: bound.operation.method + " " + bound.operation.path,
                weight: 0, steps: [Step(request: bound.request)])
        }
    }

    static func bind(_ op: SpecOperation, index: Int, spec: APISpecification, state: RecordedState) -> BoundOperation {
        if let step = state.steps[index] {
            let bindings = op.parameters.filter { $0.location == .path }.map {
                ParameterBinding(parameter: $0.name, location: .path, source: .recorded, variable: nil)
            }
            return BoundOperation(operation: op, recorded: true, bindings: bindings, request: step.request)
        }
        var bindings: [ParameterBinding] = []
        let template = PathMatcher.segments(op.path)
        var segments: [String] = []
        for (i, segment) in template.enumerated() {
            guard segment.hasPrefix("{"), segment.hasSuffix("}"),
                let parameter = op.parameters.first(where: { $0.location == .path && "{\($0.name)}" == segment })
            else {
                segments.append(segment)
                continue
            }
            let place = RecordedState.prefixKey(template[..<i])
            let binding = bindPath(parameter, of: op, collection: place, spec: spec, state: state)
            bindings.append(binding)
            if binding.source == .collection, binding.variable == nil, let recorded = state.segments[place] {
                segments.append(recorded)
            } else {
                segments.append(binding.variable.map { "{{\($0)}}" } ?? SampleValues.text(for: parameter.schema))
            }
        }
        var request = RequestTemplate(method: op.method, path: "/" + segments.joined(separator: "/"))
        addParameters(op, state: state, to: &request, bindings: &bindings)
        request.body = body(for: op)
        return BoundOperation(operation: op, recorded: false, bindings: bindings, request: request)
    }
}
