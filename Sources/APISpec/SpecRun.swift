public import StampedeCore

/// A spec as one replay run uses it: the bound operations the monkeys add to their parents,
/// the conformance checker and the coverage counters.
public final class SpecRun: Sendable {
    /// Every operation bound to the corpus: the `spec:` sessions the monkeys use as parents.
    public let binding: SpecBinding
    /// Judges answers for the `conformance` failure class.
    public let checker: ConformanceChecker
    /// Per-operation coverage for the report.
    public let coverage: SpecCoverage
    /// Schema-driven requests for the spec parents (SpecFuzz), a monkey family.
    public let family: SchemaFamily

    /// Binds `spec` to the corpus and prepares the checks.
    public init(
        spec: APISpecification, sessions: [Session], apiPrefix: String, checks: Set<ConformanceCheck>,
        validator: ConformanceChecker.Validator?
    ) {
        binding = SpecBinding(spec: spec, sessions: sessions, apiPrefix: apiPrefix)
        checker = ConformanceChecker(spec: spec, checks: checks, validator: validator)
        coverage = SpecCoverage(binding: binding)
        family = SchemaFamily(binding: binding)
    }
}
