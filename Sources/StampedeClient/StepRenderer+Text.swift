import Foundation
import StampedeCore
import StampedeHTTP

extension StepRenderer {
    /// Whether a rendered template still holds `{{` anywhere (or `%7B%7B` in its path): the cheap
    /// test before looking for names.
    static func hasPlaceholder(_ t: RequestTemplate) -> Bool {
        if hasBraces(t.path) || t.path.utf8.contains(UInt8(ascii: "%")) && encodedPlaceholder(in: t.path) != nil { return true }
        for item in t.query where hasBraces(item.name) || item.value.map(hasBraces) == true { return true }
        for header in t.headers where hasBraces(header.value) { return true }
        return t.body?.text.map(hasBraces) ?? false
    }

    /// Names still written as `{{name}}` (or `%7B%7Bname%7D%7D` in the path), once each, in order.
    static func unresolved(in t: RequestTemplate) -> [String] {
        var names: [String] = []
        func add(_ found: [Substring]) {
            for name in found where isVariableName(name) && !names.contains(String(name)) { names.append(String(name)) }
        }
        add(Template.variables(in: t.path))
        var rest = t.path[...]
        while let (name, after) = encodedPlaceholder(in: rest) {
            add([name])
            rest = rest[after...]
        }
        for item in t.query {
            add(Template.variables(in: item.name))
            if let value = item.value { add(Template.variables(in: value)) }
        }
        for header in t.headers { add(Template.variables(in: header.value)) }
        if let text = t.body?.text { add(Template.variables(in: text)) }
        return names
    }

    /// Whether `{{name}}` names a variable (letters, digits, `_`, `.`, `-`, not starting with a digit
    /// or a dot): literal template text of the target's own (`{{ $labels.job }}`) is sent as it is.
    static func isVariableName(_ name: Substring) -> Bool {
        guard let first = name.utf8.first, first != UInt8(ascii: "."), !(0x30...0x39).contains(first) else { return false }
        return name.utf8.allSatisfy { b in
            (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
                || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
        }
    }

    static func hasBraces(_ text: String) -> Bool {
        guard text.utf8.contains(UInt8(ascii: "{")) else { return false }
        return text.contains("{{")
    }

    /// The first percent-encoded placeholder `%7B%7Bname%7D%7D` (any hex case) in a path: the
    /// name and where the placeholder ends.
    static func encodedPlaceholder(in text: Substring) -> (Substring, String.Index)? {
        guard let open = text.range(of: "%7B%7B", options: .caseInsensitive),
            let close = text[open.upperBound...].range(of: "%7D%7D", options: .caseInsensitive)
        else { return nil }
        let name = text[open.upperBound..<close.lowerBound]
        guard !name.isEmpty, name.count <= 100 else { return nil }
        return (name, close.upperBound)
    }

    static func encodedPlaceholder(in text: String) -> (Substring, String.Index)? {
        encodedPlaceholder(in: text[...])
    }

    /// Whether a header is one the engine or the jar own (ASCII case-insensitive, no allocation).
    static func isManaged(_ name: String) -> Bool {
        let n = name.utf8.count
        guard n == 4 || n == 6 || n == 10 || n == 14 || n == 17 else { return false }
        return managedHeaders.contains { HTTPHeader.namesEqual($0, name) }
    }

    /// Percent-encodes the bytes libcurl refuses in a URL path (`PercentEncoding.sendablePath`).
    public static func sendable(_ path: String) -> String {
        PercentEncoding.sendablePath(path)
    }

    /// Methods that change state and so carry the CSRF header (double-submit cookie).
    public static func isWrite(_ method: String) -> Bool {
        // The common exact tokens first: no allocation on the hot path.
        switch method {
        case "GET", "HEAD", "OPTIONS", "TRACE": return false
        case "POST", "PUT", "PATCH", "DELETE": return true
        default: break
        }
        return switch method.uppercased() {
        case "GET", "HEAD", "OPTIONS", "TRACE": false
        default: true
        }
    }
}
