import StampedeCore
import StampedeHTTP

/// Header operators that know what a header means: each draws from the grammar of one header
/// (entity tags, HTTP dates, byte ranges, media ranges, credentials, …) and adds the header to
/// requests that never carried it. Values never hold CR, LF or NUL, which libcurl would refuse
/// or which would split the header line rather than test the target.
enum HeaderGrammar {
    /// Entity-tag lists: wildcards with trailing junk, weak and strong tags, lists, empty.
    static let entityTags: [String] = [
        "*", "*x", "*2", "*abc", "**", "* ", "\"abc\"", "W/\"abc\"", "W/abc", "w/\"abc\"", "\"abc", "abc",
        "\"a\", \"b\"", "\"a\",W/\"b\"", "*, \"a\"", "\"\"", "", ",", "W/", "\"a\" \"b\"", "\"\u{E9}\"",
    ]

    /// HTTP dates in the three legal forms, and ones that are not dates at all.
    static let httpDates: [String] = [
        "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
        "Mon, 32 Foo 2025 25:61:61 GMT", "yesterday", "0", "-1", "", "9999999999", "Thu, 01 Jan 1970 00:00:00 GMT",
        "Fri, 31 Dec 9999 23:59:59 GMT", "2025-01-01T00:00:00Z", "Sun, 06 Nov 1994 08:49:37 PST",
    ]

    static let conditionalNames = ["If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since", "If-Range"]

    static let ranges: [String] = [
        "bytes=0-0", "bytes=-1", "bytes=5-1", "bytes=0-", "bytes=", "bytes=-", "items=0-1", "bytes=0-1,2-3,4-5",
        "bytes=99999999999999999999-", "bytes=a-b", "bytes 0-1", "=0-1", "bytes=-0", "bytes=0-0,0-0,0-0,0-0",
    ]

    static let accepts: [(String, [String])] = [
        ("Accept", ["application/garbage", "*/*;q=x", "text/html;q=0", "", "application/json;q=0", "a/b/c", "*", "*/json",
                    "application/json, */*;q=0.1", "application/xml"]),
        ("Accept-Encoding", ["gzip;q=2", "br, gzip, identity;q=0", "*;q=0", "x-unknown", "", "identity;q=0", "gzip;q=-1"]),
        ("Accept-Language", ["*", "xx-YY", "en-US;q=abc", "", "de-DE-1996", "i-klingon", "en;q=0.5, fr;q=1.5", "\u{E9}"]),
    ]

    static let contentEncodings = ["gzip", "deflate", "br", "compress", "x-gzip", "gzip, gzip", "identity", "zstd", "unknown"]

    static let authorizations: [String] = [
        "Basic", "Basic ", "Basic !!!", "Basic Og==", "Basic bm9jb2xvbg==", "Bearer", "Bearer ", "Bearer a b", "Bearer ..",
        "bearer x", "Digest username=\"a\"", "Negotiate", "NTLM TlRMTVNTUAAB", "Token x", "Foo bar", "=", "Basic =====",
    ]

    static let cookies: [String] = [
        "=", ";", "a", "a=b;;c=d", "a=\"b", "=b", "a=b; a=c", "access_token=", "csrf_token=", "a=%zz", "a=b,c=d", " ; ",
    ]

    static let origins: [(String, [String])] = [
        ("Origin", ["null", "http://evil.invalid", "", "file://", "http://127.0.0.1:1", "https://localhost", "*", "http://[::1"]),
        ("Referer", ["", "about:blank", "http://evil.invalid/", "not a url", "//x", "http://127.0.0.1/../../", "\u{E9}"]),
    ]

    static let overrideNames = ["X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"]
    static let overrideValues = ["DELETE", "PATCH", "PUT", "GET", "FOO", "", "delete", "CONNECT"]

    static let expects = ["100-continue", "", "foo", "100-continue, x", "200-ok", "100-CONTINUE"]

    /// Sets `name` to `value`, replacing the first header of that name or adding one.
    static func set(_ name: String, _ value: String, in ctx: inout MutationContext) -> String {
        if let i = HeaderOperators.index(of: name, in: ctx.request.headers) {
            ctx.request.headers[i].value = value
        } else {
            ctx.request.headers.append(HTTPHeader(name, value))
        }
        return abbreviated(value, after: name + ": ")
    }

    /// An operator setting one header drawn from `(name, values)` pairs.
    static func choosing(
        _ name: String, weight: Double = 1, requires: MutationContext.Facts = [], _ table: [(String, [String])]
    ) -> MutationOperator {
        MutationOperator(name, [.headers], weight: weight, requires: requires) { ctx, rng in
            let (header, values) = rng.element(table)
            return set(header, rng.element(values), in: &ctx)
        }
    }

    static let all: [MutationOperator] = [
        MutationOperator("headers.conditional", [.headers], weight: 1.5) { ctx, rng in
            let name = rng.element(conditionalNames)
            let value: String
            switch name {
            case "If-Match", "If-None-Match": value = rng.element(entityTags)
            case "If-Range": value = rng.chance(0.5) ? rng.element(entityTags) : rng.element(httpDates)
            default: value = rng.element(httpDates)
            }
            return set(name, value, in: &ctx)
        },
        choosing("headers.range", [("Range", ranges)]),
        choosing("headers.accept", accepts),
        choosing("headers.content-encoding", requires: .nonEmptyBody, [("Content-Encoding", contentEncodings)]),
        choosing("headers.authorization", [("Authorization", authorizations)]),
        choosing("headers.cookie-syntax", weight: 0.5, [("Cookie", cookies)]),
        choosing("headers.origin", origins),
        choosing("headers.method-override", overrideNames.map { ($0, overrideValues) }),
        choosing("headers.expect", weight: 0.5, [("Expect", expects)]),
        MutationOperator("headers.content-type-mismatch", [.headers], weight: 1.5) { ctx, rng in
            // A type that contradicts the body: JSON bodies get form/multipart/text, others get JSON,
            // and a request without a body (GET, DELETE) gets one claiming there is something to parse.
            let kind = ctx.bodyKind
            let choices: [String] =
                switch kind {
                case .json: ["multipart/form-data", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
                             "text/plain", "application/xml"]
                case .form: ["application/json", "multipart/form-data", "text/plain"]
                case .none, .other: ["application/json", "multipart/form-data", "multipart/form-data; boundary=x",
                                     "application/x-www-form-urlencoded", "text/plain", "application/xml"]
                }
            return set("Content-Type", rng.element(choices), in: &ctx)
        },
    ]
}
