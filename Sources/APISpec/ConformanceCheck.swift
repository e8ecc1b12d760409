import Foundation
public import StampedeCore

/// One conformance check, selectable with `--checks`.
public enum ConformanceCheck: String, Sendable, Hashable, CaseIterable, Codable {
    /// The status is not declared for the operation and there is no `default`.
    case status
    /// The response's Content-Type is not among those declared for its status.
    case contentType = "content-type"
    /// The JSON body does not match the declared schema.
    case bodySchema = "body-schema"
    /// A 2xx answered a negative request that broke a constraint the spec says is enforced (opt-in).
    case negativeAccepted = "negative-accepted"

    /// The checks run when `--checks` is not given (every check but the opt-in one).
    public static let defaults: Set<ConformanceCheck> = [.status, .contentType, .bodySchema]

    /// Parses `--checks status,content-type` (`all` selects every check, `default` the defaults).
    /// - Throws: `SpecError` naming an unknown check.
    public static func parse(_ list: String) throws(SpecError) -> Set<ConformanceCheck> {
        var out = Set<ConformanceCheck>()
        for raw in list.split(separator: ",") {
            let name = raw.trimmingCharacters(in: .whitespaces)
            if name == "all" {
                out.formUnion(allCases)
            } else if name == "default" {
                out.formUnion(defaults)
            } else if let check = ConformanceCheck(rawValue: name) {
                out.insert(check)
            } else {
                let known = (allCases.map(\.rawValue) + ["all", "default"]).joined(separator: ", ")
                throw SpecError("unknown check '\(name)' in --checks (known: \(known))")
            }
        }
        return out
    }
}

/// A response that breaks the spec.
public struct ConformanceViolation: Sendable, Hashable {
    /// The check that failed.
    public var check: ConformanceCheck
    /// The operation (`operationId`).
    public var operation: String
    /// What is wrong, stable across requests for one bug (`status 418 not declared`).
    public var detail: String
    /// For `body-schema`: what the finding's reproducer re-checks in the body.
    public var bodyCheck: BodyCheck?

    /// The finding's failure text: `<check>: <detail>`.
    public var text: String { check.rawValue + ": " + detail }
}
