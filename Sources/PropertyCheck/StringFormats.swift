import StampedeCore

/// Recognizers and generators for the fixed string formats schemas infer (UUID, date, date-time).
enum StringFormats {
    static func isHex(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    static func isUUID(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count == 36 else { return false }
        for (i, c) in b.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                if c != UInt8(ascii: "-") { return false }
            } else if !isHex(c) {
                return false
            }
        }
        return true
    }

    /// `YYYY-MM-DD` with a month 01–12 and a day 01–31.
    static func isDate(_ text: String) -> Bool {
        isDate(Array(text.utf8)[...])
    }

    static func isDate(_ b: ArraySlice<UInt8>) -> Bool {
        let b = Array(b)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return false }
        guard [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy({ isDigit(b[$0]) }) else { return false }
        let month = Int(b[5] - 0x30) * 10 + Int(b[6] - 0x30)
        let day = Int(b[8] - 0x30) * 10 + Int(b[9] - 0x30)
        return (1...12).contains(month) && (1...31).contains(day)
    }

    /// RFC 3339: a date, `T`, `HH:MM:SS`, an optional fraction, then `Z` or `±HH:MM`.
    static func isDateTime(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count >= 20, isDate(b[0..<10]), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") else { return false }
        guard isTime(b[11..<19]) else { return false }
        var i = 19
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count, isDigit(b[i]) { i += 1 }
            guard i > start, i < b.count else { return false }
        }
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") { return i + 1 == b.count }
        guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"), b.count == i + 6 else { return false }
        return isDigit(b[i + 1]) && isDigit(b[i + 2]) && b[i + 3] == UInt8(ascii: ":") && isDigit(b[i + 4]) && isDigit(b[i + 5])
    }

    static func isTime(_ slice: ArraySlice<UInt8>) -> Bool {
        let b = Array(slice)
        guard b.count == 8, b[2] == UInt8(ascii: ":"), b[5] == UInt8(ascii: ":") else { return false }
        guard [0, 1, 3, 4, 6, 7].allSatisfy({ isDigit(b[$0]) }) else { return false }
        let hour = Int(b[0] - 0x30) * 10 + Int(b[1] - 0x30)
        let minute = Int(b[3] - 0x30) * 10 + Int(b[4] - 0x30)
        let second = Int(b[6] - 0x30) * 10 + Int(b[7] - 0x30)
        return hour < 24 && minute < 60 && second <= 60
    }

    static func twoDigits(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    static func date(using rng: inout SeededGenerator) -> String {
        "\(rng.next(in: 1970...2099))-\(twoDigits(rng.next(in: 1...12)))-\(twoDigits(rng.next(in: 1...28)))"
    }

    static func dateTime(using rng: inout SeededGenerator) -> String {
        var out = date(using: &rng) + "T" + twoDigits(rng.next(in: 0...23)) + ":" + twoDigits(rng.next(in: 0...59))
            + ":" + twoDigits(rng.next(in: 0...59))
        if rng.chance(0.5) { out += "." + String(rng.next(in: 100...999)) }
        if rng.chance(0.7) {
            out += "Z"
        } else {
            out += (rng.chance(0.5) ? "+" : "-") + twoDigits(rng.next(in: 0...14)) + ":" + twoDigits(rng.element([0, 30, 45]))
        }
        return out
    }
}
