public import Mutator
public import StampedeCore

/// One request generated from an operation's schemas: a positive one (valid everywhere) or a
/// negative one (valid except for exactly one constraint in one location).
public struct SchemaRequest: Hashable, Sendable {
    /// The request to send; bound values may still hold `{{variables}}` for the renderer.
    public var request: RequestTemplate
    /// How it was made, as a mutation operation: `schema.positive` or
    /// `schema.negative.<location>.<constraint>`, what changed in `detail`, and the seed that
    /// re-creates it with `SchemaRequestGenerator.request(for:)`.
    public var operation: MutationOperation
    /// Where the violation is; nil for a positive request.
    public var location: RequestLocation?
    /// The one constraint violated; nil for a positive request.
    public var constraint: SchemaConstraint?
    /// The part, place and constraint violated, as `SchemaRequestGenerator.violations(of:)` finds
    /// it in this request (what triage checks a shrunk request still breaks); nil for a positive request.
    public var violation: RequestViolation? = nil
    /// The valid request this one was derived from (itself for a positive request): the shrinker's reference.
    public var reference: RequestTemplate
    /// `METHOD /path/{template}`, the endpoint key of the operation.
    public var endpoint: String

    /// Whether the request is valid by the spec.
    public var isPositive: Bool { constraint == nil }

    /// The request as a corpus step (endpoint filled, no expectation: the spec decides what is right).
    public var step: Step {
        Step(request: request, endpoint: endpoint)
    }

    /// The request as a mutant of a recorded step, so triage, crash records and the shrinker treat it
    /// like any other (`Shrinker().shrink(_:reference:predicate:)` with `reference`).
    public func mutant(session: Int, step: Int) -> Mutant {
        Mutant(
            parentSession: session, parentStep: step, seed: operation.seed, operations: [operation], request: request,
            dropCookies: false)
    }

    /// The operator name of a negative request: `schema.negative.query.minimum`.
    public static func operatorName(location: RequestLocation, constraint: SchemaConstraint) -> String {
        "schema.negative." + location.rawValue + "." + constraint.rawValue
    }

    /// The operator name of a positive request.
    public static let positiveOperator = "schema.positive"
}

extension SchemaRequest {
    /// The location and constraint named by a `schema.negative.<location>.<constraint>` operator; nil for others.
    public static func parse(operationName: String) -> (location: RequestLocation, constraint: SchemaConstraint)? {
        let parts = operationName.split(separator: ".")
        guard parts.count == 4, parts[0] == "schema", parts[1] == "negative",
            let location = RequestLocation(rawValue: String(parts[2])), let constraint = SchemaConstraint(rawValue: String(parts[3]))
        else { return nil }
        return (location, constraint)
    }
}
