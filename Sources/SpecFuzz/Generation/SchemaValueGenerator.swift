public import OpenAPIKit
public import StampedeCore

/// A value that breaks its schema in exactly one way, labelled with that way.
public struct NegativeValue: Hashable, Sendable, CustomStringConvertible {
    /// The whole value (a valid value with one part changed).
    public var value: JSONValue
    /// The one constraint it violates (the validator reports this and nothing else).
    public var constraint: SchemaConstraint
    /// Where in `value` the violation is.
    public var pointer: JSONPointer

    /// Creates a labelled negative value.
    public init(value: JSONValue, constraint: SchemaConstraint, pointer: JSONPointer) {
        self.value = value
        self.constraint = constraint
        self.pointer = pointer
    }

    /// `minimum at /limit`, for operation details.
    public var description: String {
        constraint.rawValue + (pointer.tokens.isEmpty ? "" : " at " + ReportText.middleAbbreviated(pointer.description, limit: 60))
    }
}

/// Values generated from a schema, deterministic for a seed: positive ones (valid, covering
/// boundaries, every enum value and every optional member) and negative ones (each breaking
/// exactly one constraint).
///
/// Every value returned has been checked with `SchemaValidator`: a positive value validates, and a
/// negative value fails with exactly its labelled constraint at its pointer. A schema this
/// generator cannot satisfy (say a `pattern` none of its candidate strings matches, and no
/// example) yields no positive values and so no negative ones.
///
/// ```swift
/// let generator = SchemaValueGenerator()
/// generator.positives(for: schema, seed: 7)    // [1, 1000, 513, …]
/// generator.negatives(for: schema, seed: 7)    // [0 (minimum), 1001 (maximum), "x" (type), …]
/// ```
public struct SchemaValueGenerator: Sendable {
    /// Most values returned by one call.
    public var maximumCases: Int
    /// The validator every value is checked with.
    public var validator: SchemaValidator

    /// Deepest nesting generated; deeper containers get their smallest valid form.
    static let maximumDepth = 6

    /// Creates a generator returning at most `maximumCases` values per call.
    public init(maximumCases: Int = 32, validator: SchemaValidator = SchemaValidator()) {
        self.maximumCases = max(1, maximumCases)
        self.validator = validator
    }

    /// Valid values: boundaries first, then every enum value and member variant, then the rest.
    public func positives(for schema: DereferencedJSONSchema, seed: UInt64) -> [JSONValue] {
        var rng = SeededGenerator(seed: seed, 0x706F_7369)
        var out: [JSONValue] = []
        for candidate in candidates(schema, depth: 0, rng: &rng) where !out.contains(candidate) {
            guard validator.isValid(candidate, against: schema) else { continue }
            out.append(candidate)
            if out.count == maximumCases { break }
        }
        return out
    }

    /// Values that each violate exactly one constraint of `schema` (at any depth), labelled.
    public func negatives(for schema: DereferencedJSONSchema, seed: UInt64) -> [NegativeValue] {
        let valid = positives(for: schema, seed: seed)
        // The richest valid value (every optional member, the most items) gives every member a negative.
        guard let base = valid.max(by: { $0.nodeCount < $1.nodeCount }) else { return [] }
        var rng = SeededGenerator(seed: seed, 0x6E65_6761)
        var checked: [NegativeValue] = []
        for candidate in negativeCandidates(schema, base: base, depth: 0, rng: &rng) where !checked.contains(candidate) {
            let violations = validator.validate(candidate.value, against: schema)
            guard violations.count == 1, violations[0].constraint == candidate.constraint, violations[0].pointer == candidate.pointer
            else { continue }
            checked.append(candidate)
        }
        return Self.spread(checked, limit: maximumCases)
    }

    /// At most `limit` negatives, spread over what they break: one per constraint first, then one
    /// per place and constraint, then the rest in order, so a cap never leaves only `type` values.
    static func spread(_ negatives: [NegativeValue], limit: Int) -> [NegativeValue] {
        var chosen: [Int] = []
        var constraints: Set<SchemaConstraint> = []
        var places: Set<String> = []
        for (i, negative) in negatives.enumerated() where constraints.insert(negative.constraint).inserted { chosen.append(i) }
        for i in chosen { places.insert(negatives[i].description) }
        for (i, negative) in negatives.enumerated() where !chosen.contains(i) && places.insert(negative.description).inserted {
            chosen.append(i)
        }
        chosen += negatives.indices.filter { !chosen.contains($0) }
        // Back in generation order (outermost first), keeping the first `limit` picks.
        return chosen.prefix(limit).sorted().map { negatives[$0] }
    }

    /// Unchecked candidates for positive values, most interesting first.
    func candidates(_ schema: DereferencedJSONSchema, depth: Int, rng: inout SeededGenerator) -> [JSONValue] {
        var out = (schema.allowedValues ?? []).compactMap(JSONValue.init)
        if !out.isEmpty { return out + (schema.nullable ? [.null] : []) }
        switch schema {
        case .null: out = [.null]
        case .boolean: out = [.bool(true), .bool(false)]
        case .integer(let core, let context): out = integerCandidates(context, format: core.format.rawValue, rng: &rng)
        case .number(let core, let context): out = numberCandidates(context, format: core.format.rawValue, rng: &rng)
        case .string(let core, let context): out = stringCandidates(context, format: core.format.rawValue, rng: &rng)
        case .array(_, let context): out = arrayCandidates(context, depth: depth, rng: &rng)
        case .object(_, let context): out = objectCandidates(context, depth: depth, rng: &rng)
        case .all(let schemas, _): out = allOfCandidates(schemas, depth: depth, rng: &rng)
        case .one(let schemas, _), .any(let schemas, _):
            out = schemas.flatMap { candidates($0, depth: depth + 1, rng: &rng) }
        case .not, .fragment:
            out = [.string("text"), .int(1), .bool(true), .object([]), .array([]), .null]
        }
        let documented = ([schema.defaultValue].compactMap { $0 } + schema.examples).compactMap(JSONValue.init)
        return out + documented + (schema.nullable ? [.null] : [])
    }

    func allOfCandidates(_ schemas: [DereferencedJSONSchema], depth: Int, rng: inout SeededGenerator) -> [JSONValue] {
        let each = schemas.map { schema in candidates(schema, depth: depth + 1, rng: &rng).filter { validator.isValid($0, against: schema) } }
        // Objects from several parts merge member-wise (the usual `allOf` of object schemas).
        var merged: [JSONValue] = []
        for i in 0..<(each.map(\.count).max() ?? 0) {
            var members: [JSONMember] = []
            for values in each where !values.isEmpty {
                for member in values[min(i, values.count - 1)].objectMembers ?? [] where !members.contains(where: { $0.key == member.key }) {
                    members.append(member)
                }
            }
            merged.append(.object(members))
        }
        return merged + each.flatMap { $0 }
    }
}
