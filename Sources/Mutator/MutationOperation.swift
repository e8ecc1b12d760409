public import StampedeCore

/// One named mutation applied to a request, with what it needs to be applied again.
///
/// `name` selects the operator (`method.unknown`, `json.type-confuse`, …), `seed` drives every
/// choice it makes, and `detail` says in words what it did (`segment 3 → ".."`). Applying the
/// same operation to the same request always gives the same result, which is what lets the
/// shrinker replay any subset of a mutant's operations.
public struct MutationOperation: Codable, Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var detail: String
    public var seed: UInt64

    public init(name: String, detail: String = "", seed: UInt64) {
        self.name = name
        self.detail = detail
        self.seed = seed
    }

    /// `name(detail)`, as written into crash records.
    public var description: String {
        detail.isEmpty ? name : name + "(" + detail + ")"
    }
}

/// A request template plus the one request property that lives outside it: whether the
/// replayer should send the virtual client's cookies.
public struct MutatedRequest: Codable, Hashable, Sendable {
    public var request: RequestTemplate
    /// When true the replayer sends no `Cookie` header from the client's jar for this request.
    public var dropCookies: Bool

    public init(request: RequestTemplate, dropCookies: Bool = false) {
        self.request = request
        self.dropCookies = dropCookies
    }

    enum CodingKeys: String, CodingKey {
        case request
        case dropCookies = "drop_cookies"
    }
}

/// A mutated request and how it was derived: parent step, seed and the ordered operations.
public struct Mutant: Hashable, Sendable {
    /// Index of the parent session in the mutator's session list.
    public var parentSession: Int
    /// Index of the parent step within that session.
    public var parentStep: Int
    public var seed: UInt64
    public var operations: [MutationOperation]
    /// The mutated template; the replayer renders its `{{variables}}` before sending.
    public var request: RequestTemplate
    /// When true the replayer sends no cookies from the client's jar.
    public var dropCookies: Bool

    public init(
        parentSession: Int, parentStep: Int, seed: UInt64, operations: [MutationOperation],
        request: RequestTemplate, dropCookies: Bool
    ) {
        self.parentSession = parentSession
        self.parentStep = parentStep
        self.seed = seed
        self.operations = operations
        self.request = request
        self.dropCookies = dropCookies
    }

    /// The request and cookie flag together.
    public var mutatedRequest: MutatedRequest {
        MutatedRequest(request: request, dropCookies: dropCookies)
    }
}
