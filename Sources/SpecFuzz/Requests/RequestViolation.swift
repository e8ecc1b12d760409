import StampedeCore

/// One constraint a whole request breaks: the part (location and parameter name), where inside
/// its value, and the keyword. Value-free, so it names the same defect on every request.
///
/// `description` reads `query limit: minimum`, `body /name: maxLength`, `body (root): required`
/// (a required member missing), or `body: required` (the part itself left out).
public struct RequestViolation: Hashable, Sendable, CustomStringConvertible {
    /// Where in the request.
    public var location: RequestLocation
    /// The parameter's name (`body` for the body).
    public var name: String
    /// Where inside the part's value, array indices as `*` (`SchemaViolation.signature`'s form);
    /// nil when the part itself is missing.
    public var pointer: String?
    /// The keyword broken.
    public var constraint: SchemaConstraint

    /// Creates a violation.
    public init(location: RequestLocation, name: String, pointer: String?, constraint: SchemaConstraint) {
        self.location = location
        self.name = name
        self.pointer = pointer
        self.constraint = constraint
    }

    /// A violation of the value of part `name` in `location`, as the validator reported it.
    init(location: RequestLocation, name: String, at pointer: JSONPointer, _ constraint: SchemaConstraint) {
        self.init(location: location, name: name, pointer: SchemaViolation.anyIndex(pointer).description, constraint: constraint)
    }

    /// `query limit: minimum`, `body /name: maxLength`, at most 120 columns.
    public var description: String {
        var place = location == .body ? "body" : location.rawValue + " " + ReportText.middleAbbreviated(name, limit: 40)
        if let pointer {
            if !pointer.isEmpty {
                place += " " + ReportText.middleAbbreviated(pointer, limit: 60)
            } else if location == .body {
                place += " (root)"
            }
        }
        return place + ": " + constraint.rawValue
    }
}
