import Foundation
import StampedeCore
import StampedeEngine

/// Applies a step's extract rules to a response, binding the client's variables.
enum ResponseExtractor {
    /// Binds every rule that matches; returns the names of rules that found nothing.
    ///
    /// The JSON body is parsed at most once per response, and only when a rule needs it.
    @discardableResult
    static func apply(_ rules: [ExtractRule], response: HTTPResponse, jar: CookieJar, into variables: inout [String: String]) -> [String] {
        guard !rules.isEmpty else { return [] }
        var json: JSONValue??
        var missing: [String] = []
        for rule in rules {
            var value: String?
            switch rule.source {
            case .json:
                if json == nil { json = .some(try? JSONParser().parse(response.body)) }
                if let document = json ?? nil, let found = document[pointer: rule.expression] {
                    value = found.scalarText
                }
            case .header:
                value = response.header(rule.expression).flatMap { cut($0, pattern: rule.pattern) }
            case .cookie:
                value = jar.value(named: rule.expression)
            case .regex:
                value = firstMatch(rule.expression, in: String(decoding: response.body, as: UTF8.self))
            }
            if let value {
                variables[rule.variable] = value
            } else {
                missing.append(rule.variable)
            }
        }
        return missing
    }

    /// The value at a JSON pointer of a body, as text (for poll conditions).
    static func jsonText(_ body: [UInt8], pointer: String) -> String? {
        guard let document = try? JSONParser().parse(body) else { return nil }
        return document[pointer: pointer]?.scalarText
    }

    static func cut(_ value: String, pattern: String?) -> String? {
        guard let pattern else { return value }
        return firstMatch(pattern, in: value)
    }

    /// The first capture group of the first match, or the whole match without groups.
    static func firstMatch(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return nil }
        let range = NSRange(text.startIndex..., in: text)
        guard let match = regex.firstMatch(in: text, range: range) else { return nil }
        let r = match.numberOfRanges > 1 ? match.range(at: 1) : match.range
        guard let swiftRange = Range(r, in: text) else { return nil }
        return String(text[swiftRange])
    }
}
