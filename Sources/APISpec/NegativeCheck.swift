public import StampedeCore
import SpecFuzz

/// What the `negative-accepted` check needs to judge a request again: the constraint a negative
/// schema request was made to break, and its operation's generator to re-validate any request.
///
/// Triage sends a finding's request again, shrinks it and confirms the minimal one; a candidate
/// only reproduces when the server still answers 2xx *and* `isBroken(by:)` still holds, so
/// shrinking never removes the violation the finding is about.
public struct NegativeCheck: Sendable {
    let generator: SchemaRequestGenerator
    /// The constraint, value-free, as the finding names it (`query limit: minimum`, `body /name: maxLength`).
    public let constraint: String

    /// Whether `request` (variables rendered) is still an instance of the operation (same method,
    /// path of its shape) and still breaks `constraint`, read back as a server parses it.
    public func isBroken(by request: RequestTemplate) -> Bool {
        generator.isInstance(request) && generator.violations(of: request).contains { $0.description == constraint }
    }

    /// `constraint` while `request` still breaks it (`isBroken(by:)`), else nil: what the
    /// `negative-accepted` check is given for a 2xx answer to `request`.
    public func constraint(ifBrokenBy request: RequestTemplate) -> String? {
        isBroken(by: request) ? constraint : nil
    }
}
