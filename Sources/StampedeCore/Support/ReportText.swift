/// Helpers for text people read (terminal lines, messages): long values abbreviated with their
/// size, so no line runs past `ReportText.maxColumns`.
package enum ReportText {
    /// The widest line Stampede prints.
    package static let maxColumns = 200

    /// `value` when it is one line of at most `limit` characters, else its start (up to the
    /// first line break) and `…(5,120 bytes)`.
    package static func abbreviated(_ value: some StringProtocol, limit: Int) -> String {
        let firstLine = value.firstIndex(of: "\n").map { value[..<$0] } ?? value[...]
        guard firstLine.count < value.count || value.count > limit else { return String(value) }
        let suffix = "…(" + grouped(value.utf8.count) + " bytes)"
        return String(firstLine.prefix(max(0, limit - suffix.count))) + suffix
    }

    /// A name kept whole when it fits, else its start and end around `…` (never cut mid-word at
    /// the start: the method and the first segments stay).
    package static func middleAbbreviated(_ value: String, limit: Int) -> String {
        guard value.count > limit, limit > 3 else { return value }
        let head = (limit - 1) * 2 / 3
        let tail = limit - 1 - head
        return String(value.prefix(head)) + "…" + String(value.suffix(tail))
    }

    /// `5,120`.
    package static func grouped(_ n: Int) -> String {
        let digits = Array(String(n.magnitude))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(d)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// A number of seconds for a command line: `10`, `0.5`.
    package static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// Each line of `text` cut to `maxColumns` characters (abbreviated with its size).
    package static func fitted(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { abbreviated($0, limit: maxColumns) }
            .joined(separator: "\n")
    }
}
