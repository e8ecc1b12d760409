import Replayer

/// Small helpers for writing well-formed (XML-parsable) HTML by hand.
enum Markup {
    /// Escapes text for element content and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // Control characters are not allowed in XML 1.0 text; show them as U+FFFD.
            case _ where c.value < 0x20 && c != "\n" && c != "\t" && c != "\r": out += "\u{FFFD}"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// `<tag class="…">escaped text</tag>`.
    static func element(_ tag: String, _ text: String, cls: String? = nil) -> String {
        "<\(tag)\(cls.map { " class=\"\($0)\"" } ?? "")>\(escape(text))</\(tag)>"
    }

    /// A number with one decimal (`12.3`), the terminal summary's format.
    static func number(_ value: Double) -> String { ReportSummary.format(value) }

    /// `12,345` for counts.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// A percentage with one decimal, `0.0 %` when the whole is zero.
    static func percent(_ part: Int, of whole: Int) -> String {
        whole > 0 ? number(Double(part) * 100 / Double(whole)) + " %" : "0.0 %"
    }

    /// Text longer than `limit` characters as its head, then `…(N bytes)`.
    static func abbreviated(_ text: String, limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + "…(\(count(text.utf8.count)) bytes)"
    }
}
