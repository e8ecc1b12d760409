import StampedeCore
import StampedeHTTP

/// Pools of values known to trip parsers and validators.
enum FuzzValues {
    /// Numbers at type boundaries, as the text to send. Some are not valid JSON on purpose.
    static let boundaryNumbers: [String] = [
        "0", "-1", "1", "-0", "2147483647", "2147483648", "-2147483648", "-2147483649",
        "4294967296", "9007199254740993", "-9007199254740993", "9223372036854775807",
        "9223372036854775808", "18446744073709551616", "1e308", "-1e308", "1e309", "5e-324",
        "0.1", "1.0", "1E2", "NaN", "Infinity", "-Infinity", "00", "0x10", "1_000", "9007199254740992",
        "-9223372036854775809", "1e-400", "0.30000000000000004", "123456789012345678901234567890123456789012345678901234567890",
    ]

    static let specialStrings: [String] = [
        "'", "\"", "' OR '1'='1", "\" OR \"1\"=\"1", "<script>alert(1)</script>", "../../../../etc/passwd",
        "%00", "%", "%zz", "${jndi:ldap://127.0.0.1/x}", "%s%s%s%n", "\\", "\\u0000", ";", "&", "=", "#",
        "?", "/", "*", "null", "undefined", "true", "[]", "{}", "NaN", "-1", " ", "\t", "a,b", "a b",
    ]

    static let unicodeStrings: [String] = [
        "é", "e\u{301}", "日本語", "😀", "👨‍👩‍👧", "\u{202E}gnp.exe", "\u{FEFF}", "\u{200B}", "Ω≈ç√∫",
        "𝕦𝕟𝕚𝕔𝕠𝕕𝕖", "\u{FFFD}", "\u{10FFFF}", "ｆｕｌｌ", "İı", "ß", "ﷺ",
    ]

    static let controlStrings: [String] = [
        "\u{0}", "a\u{0}b", "\u{1}\u{2}\u{3}", "\r\n", "\n", "\t", "\u{1B}[31m", "\u{7F}", "\u{8}", "\r",
    ]

    /// Special, unicode and control strings, in that order (query and form values draw from all three).
    static let oddStrings: [String] = specialStrings + unicodeStrings + controlStrings

    /// Boundary numbers then special strings (query values).
    static let numbersAndSpecialStrings: [String] = boundaryNumbers + specialStrings

    static let unknownMethods: [String] = [
        "FOO", "PROPFIND", "MKCOL", "BREW", "PURGE", "GETT", "G-ET", "get post", "GET\t", "*", "",
        "DEBUG", "TRACK", "LINK", "SEARCH", "QUERY",
    ]

    /// Not `CONNECT`: sent to an origin server it turns many HTTP/1.1 connections into a tunnel that
    /// never answers, a hang of the protocol rather than of the application under test.
    static let standardMethods: [String] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"]

    static let unknownKeys: [String] = [
        "admin", "is_admin", "role", "id", "user_id", "__proto__", "constructor", "extra", "", " ",
        "debug", "$where", "a.b", "tags[]", "ÿ", "null",
    ]

    /// `unknownKeys` without the empty one (a form field needs a name).
    static let nonEmptyUnknownKeys: [String] = unknownKeys.filter { !$0.isEmpty }

    /// Object keys that trip key handling: empty, long, unicode, prototype names, operators, paths.
    static let oddKeys: [String] = [
        "", " ", "__proto__", "constructor", "prototype", "$where", "$gt", "a.b", "a/b", "../x", "a[0]", "日本",
        "😀", "\u{0}", "\u{FEFF}k", "k\u{200B}", "%s", "null", String(repeating: "k", count: 300),
    ]

    static let contentTypes: [String] = [
        "text/plain", "application/xml", "multipart/form-data", "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded", "application/json", "application/json; charset=utf-16",
        "application/octet-stream", "*/*", "", "json", "application/jsonx", "text/html; charset=iso-8859-1",
    ]

    /// Header values that are strange but keep the header line well-formed (no CR, LF or NUL,
    /// which would split or truncate the line in libcurl rather than test the target).
    static let garbageHeaderValues: [String] = [
        "", " ", "null", "-1", "0", "{}", "[]", "é", "\u{7F}", "\t", "Bearer", "Bearer ", "%00",
        "' OR 1=1 --", "../../", "\u{FFFD}", "a,b,c", ";;;", "=", "\"", "<x>",
    ]

    static let extraHeaders: [HTTPHeader] = [
        HTTPHeader("X-HTTP-Method-Override", "DELETE"), HTTPHeader("X-Forwarded-For", "127.0.0.1"),
        HTTPHeader("Accept", "application/garbage"), HTTPHeader("Origin", "http://evil.invalid"),
        HTTPHeader("Authorization", "Bearer invalid"), HTTPHeader("Range", "bytes=0-0"),
        HTTPHeader("Accept-Encoding", "br, gzip, identity;q=0"), HTTPHeader("X-Requested-With", "XMLHttpRequest"),
    ]

    static let pathSegments: [String] = [
        "admin", "debug", "x", "0", "null", "%2e%2e", " ", "index.html", "api", "..", ".", "%2F", "~", "*",
    ]

    static let encodedSegments: [String] = ["%2F", "%252F", "%2e%2e%2f", "%u002e", "%", "%zz", "%00", "%C0%AE", "%ff"]

    static let queryNames: [String] = [
        "debug", "admin", "__proto__", "callback", "limit", "offset", "page", "sort", "fields", "q", "format", "id",
    ]

    /// Strings of invalid UTF-8.
    static let invalidUTF8: [[UInt8]] = [
        [0xFF], [0xFE, 0xFF], [0xC0, 0x80], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80],
    ]
}

/// `{{name}}` spans in templated text, which operators keep whole.
enum Placeholders {
    /// Whether a string holds a `{{…}}` placeholder.
    static func contains(_ s: String) -> Bool {
        s.utf8.contains(UInt8(ascii: "{")) && !ranges(in: Array(s.utf8)).isEmpty
    }

    /// Byte ranges of each `{{…}}` in order.
    static func ranges(in bytes: [UInt8]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var i = 0
        let n = bytes.count
        while i + 1 < n {
            if bytes[i] == UInt8(ascii: "{") && bytes[i + 1] == UInt8(ascii: "{") {
                var j = i + 2
                while j + 1 < n, !(bytes[j] == UInt8(ascii: "}") && bytes[j + 1] == UInt8(ascii: "}")) { j += 1 }
                if j + 1 < n {
                    result.append(i..<(j + 2))
                    i = j + 2
                    continue
                }
                break
            }
            i += 1
        }
        return result
    }

    /// Moves a byte position out of any placeholder (to its start), so a cut or insert there
    /// leaves every placeholder whole.
    static func safePosition(_ position: Int, ranges: [Range<Int>]) -> Int {
        for range in ranges where range.contains(position) && position != range.lowerBound {
            return range.lowerBound
        }
        return position
    }
}

extension String {
    /// `n` copies of an ASCII character (built from bytes: repeated appends are far slower).
    static func filled(_ c: Unicode.Scalar, _ n: Int) -> String {
        String(unsafeUninitializedCapacity: n) { buffer in
            buffer.initialize(repeating: UInt8(truncatingIfNeeded: c.value))
            return n
        }
    }
}
