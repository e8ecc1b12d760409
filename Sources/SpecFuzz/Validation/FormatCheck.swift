import Foundation
import StampedeCore

/// The `format` values the validator checks, each returning what is wrong or nil when the value is valid
/// (or is not of the type the format applies to: formats constrain only their own type).
enum FormatCheck {
    /// The formats checked; others are annotations.
    static let checked: Set<String> = ["date-time", "date", "time", "uuid", "email", "ipv4", "int32", "int64"]

    static func problem(_ value: JSONValue, format: String) -> String? {
        switch (format, value) {
        case ("int32", .number(let n)): return integerRange(n, Double(Int32.min), Double(Int32.max), name: "32-bit")
        case ("int64", .number(let n)): return int64Problem(n)
        case ("date-time", .string(let s)): return dateTimeProblem(s)
        case ("date", .string(let s)): return dateProblem(s)
        case ("time", .string(let s)): return timeProblem(s)
        case ("uuid", .string(let s)): return matches(s, uuidPattern) ? nil : "not 8-4-4-4-12 hexadecimal digits"
        case ("email", .string(let s)): return matches(s, emailPattern) ? nil : "not local@domain"
        case ("ipv4", .string(let s)): return ipv4Problem(s)
        default: return nil
        }
    }

    static let uuidPattern = "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
    static let emailPattern = #"^[^@\s"(),:;<>\[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$"#
    static let datePattern = #"^(\d{4})-(\d{2})-(\d{2})$"#
    static let timePattern = #"^(\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$"#

    static func integerRange(_ n: JSONNumber, _ low: Double, _ high: Double, name: String) -> String? {
        n.value >= low && n.value <= high ? nil : "outside the \(name) integer range"
    }

    static func int64Problem(_ n: JSONNumber) -> String? {
        // Past 2^53 doubles are too coarse: decide by the integer text when there is one.
        if n.isInteger { return Int64(n.text) == nil ? "outside the 64-bit integer range" : nil }
        return n.value >= -9.223_372_036_854_775_808e18 && n.value < 9.223_372_036_854_775_808e18 ? nil : "outside the 64-bit integer range"
    }

    static func dateTimeProblem(_ s: String) -> String? {
        let parts = s.split(maxSplits: 1, omittingEmptySubsequences: false) { $0 == "T" || $0 == "t" }
        guard parts.count == 2 else { return "no T between date and time" }
        return dateProblem(String(parts[0])) ?? timeProblem(String(parts[1]))
    }

    static func dateProblem(_ s: String) -> String? {
        guard let fields = captures(s, datePattern), let year = Int(fields[0]), let month = Int(fields[1]), let day = Int(fields[2]) else {
            return "not YYYY-MM-DD"
        }
        guard (1...12).contains(month) else { return "month \(month)" }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day) ? nil : "day \(day) of month \(month)"
    }

    static func timeProblem(_ s: String) -> String? {
        guard let fields = captures(s, timePattern), let hour = Int(fields[0]), let minute = Int(fields[1]), let second = Int(fields[2]) else {
            return "not HH:MM:SS with a zone (Z or ±HH:MM)"
        }
        // 60 is a leap second (RFC 3339 §5.6).
        guard hour < 24, minute < 60, second <= 60 else { return "time out of range" }
        if let offsetHour = Int(fields[5]), let offsetMinute = Int(fields[6]), offsetHour >= 24 || offsetMinute >= 60 {
            return "zone offset out of range"
        }
        return nil
    }

    static func ipv4Problem(_ s: String) -> String? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        let valid = parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCIIDigit) && (part.count == 1 || part.first != "0")
                && (Int(part) ?? 256) <= 255
        }
        return valid ? nil : "not four decimal octets"
    }

    static func matches(_ s: String, _ pattern: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return false }
        return SchemaPattern.matches(regex, s)
    }

    /// The capture groups of a whole-string match (an empty string for a group that did not take part).
    static func captures(_ s: String, _ pattern: String) -> [String]? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s))
        else { return nil }
        return (1..<match.numberOfRanges).map { i in
            Range(match.range(at: i), in: s).map { String(s[$0]) } ?? ""
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
