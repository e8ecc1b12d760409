import Foundation

/// A response as extract rules and poll conditions see it: body, headers and cookies, with the
/// JSON body parsed at most once and only when a rule needs it.
///
/// The one place that gives ``ExtractRule`` and ``PollOptions`` their meaning, shared by the
/// recorder's verification and the replayer's clients.
public struct ResponseView {
    /// The response body (possibly a prefix of it).
    public let body: [UInt8]
    private let header: (String) -> String?
    private let cookie: (String) -> String?
    private var json: JSONValue??

    /// - Parameters:
    ///   - header: a response header by name (case-insensitive).
    ///   - cookie: a cookie value by name (the client's jar, or the response's Set-Cookie).
    public init(body: [UInt8], header: @escaping (String) -> String?, cookie: @escaping (String) -> String?) {
        self.body = body
        self.header = header
        self.cookie = cookie
    }

    /// The value `rule` binds, or nil when the response does not have it. A rule's `pattern` cuts
    /// a header or cookie value down to its first capture group.
    public mutating func value(of rule: ExtractRule) -> String? {
        let raw: String?
        switch rule.source {
        case .json: raw = jsonText(at: rule.expression)
        case .header: raw = header(rule.expression)
        case .cookie: raw = cookie(rule.expression)
        case .regex: return Self.firstMatch(rule.expression, in: String(decoding: body, as: UTF8.self))
        }
        guard let raw else { return nil }
        guard let pattern = rule.pattern else { return raw }
        return Self.firstMatch(pattern, in: raw)
    }

    /// The scalar at a JSON pointer of the body, as text.
    public mutating func jsonText(at pointer: String) -> String? {
        if json == nil { json = .some(try? JSONParser().parse(body)) }
        return (json ?? nil)?[pointer: pointer]?.scalarText
    }

    /// Whether a polled response holds one of the poll's terminal values.
    public mutating func finishes(_ poll: PollOptions) -> Bool {
        jsonText(at: poll.pointer).map(poll.until.contains) ?? false
    }

    /// The first capture group of the first match, or the whole match when there is no group.
    static func firstMatch(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return nil }
        guard let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        let range = match.numberOfRanges > 1 ? match.range(at: 1) : match.range
        return Range(range, in: text).map { String(text[$0]) }
    }
}
