import Foundation

/// `{{name}}` placeholders in corpus strings.
///
/// ```swift
/// Template.render("/scripts/{{script_id}}") { $0 == "script_id" ? "42" : nil }  // "/scripts/42"
/// ```
/// Unknown names are left in place (so a missing variable is visible in the request and in
/// `Template.unresolved`), never replaced by an empty string.
public enum Template {
    /// Replaces each `{{name}}` whose lookup succeeds.
    public static func render(_ template: String, lookup: (Substring) -> String?) -> String {
        guard template.utf8.contains(UInt8(ascii: "{")) else { return template }
        var out = ""
        out.reserveCapacity(template.utf8.count)
        var rest = template[...]
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            out += rest[..<open.lowerBound]
            let name = rest[open.upperBound..<close.lowerBound].trimmingSpaces()
            if let value = lookup(name) {
                out += value
            } else {
                out += rest[open.lowerBound..<close.upperBound]
            }
            rest = rest[close.upperBound...]
        }
        out += rest
        return out
    }

    /// The names referenced by a template, in order of appearance, with duplicates.
    public static func variables(in template: String) -> [Substring] {
        var names: [Substring] = []
        var rest = template[...]
        while let open = rest.range(of: "{{"),
            let close = rest[open.upperBound...].range(of: "}}")
        {
            names.append(rest[open.upperBound..<close.lowerBound].trimmingSpaces())
            rest = rest[close.upperBound...]
        }
        return names
    }

    /// The names a rendered string still references (lookups that failed).
    public static func unresolved(in rendered: String) -> [Substring] {
        variables(in: rendered)
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
