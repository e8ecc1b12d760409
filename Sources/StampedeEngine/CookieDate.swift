import StampedeHTTP

/// Parses cookie `Expires` dates with the lenient RFC 6265 §5.1.1 algorithm, which accepts
/// RFC 1123, RFC 850 and asctime forms alike.
enum CookieDate {
    /// Seconds since 1970-01-01 UTC, or nil when the string holds no valid date.
    static func parse(_ string: String) -> Double? {
        var hour: Int?, minute = 0, second = 0
        var day: Int?, month: Int?, year: Int?
        let tokens = string.split { !isTokenCharacter($0) }
        for token in tokens {
            if hour == nil, let time = parseTime(token) {
                (hour, minute, second) = (time.0, time.1, time.2)
            } else if day == nil, let value = leadingDigits(token, min: 1, max: 2) {
                day = value
            } else if month == nil, let value = parseMonth(token) {
                month = value
            } else if year == nil, let value = leadingDigits(token, min: 2, max: 4) {
                year = value
            }
        }
        guard let hour, let day, let month, var year else { return nil }
        if year >= 70 && year <= 99 { year += 1900 } else if year >= 0 && year <= 69 { year += 2000 }
        guard (1...31).contains(day), year >= 1601, hour <= 23, minute <= 59, second <= 59 else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Double(days * 86_400 + hour * 3_600 + minute * 60 + second)
    }

    private static func isTokenCharacter(_ c: Character) -> Bool {
        guard let ascii = c.asciiValue else { return true }
        // RFC 6265 delimiters: %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E
        switch ascii {
        case 0x09, 0x20...0x2F, 0x3B...0x40, 0x5B...0x60, 0x7B...0x7E: return false
        default: return true
        }
    }

    private static func leadingDigits(_ token: Substring, min: Int, max: Int) -> Int? {
        let digits = token.prefix { $0.isASCII && $0.isNumber }
        guard digits.count >= min, digits.count <= max else { return nil }
        return Int(digits)
    }

    private static func parseTime(_ token: Substring) -> (Int, Int, Int)? {
        let parts = token.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3,
              let h = leadingDigits(parts[0], min: 1, max: 2), parts[0].count <= 2,
              let m = leadingDigits(parts[1], min: 1, max: 2), parts[1].count <= 2,
              let s = leadingDigits(parts[2], min: 1, max: 2) else { return nil }
        return (h, m, s)
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    private static func parseMonth(_ token: Substring) -> Int? {
        guard token.count >= 3 else { return nil }
        let prefix = ASCII.lowercased(String(token.prefix(3)))
        return months.firstIndex(of: prefix).map { $0 + 1 }
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
