import Foundation
package import StampedeHTTP

/// Renders a request as a `curl` command that sends the same bytes the request sent.
///
/// - `--path-as-is` when the path has dot segments (`/a/./b/../c`), which curl would otherwise
///   squash; `-g` when the URL holds `[]{}`, which curl would otherwise glob.
/// - `-X METHOD` only when curl would not choose the method itself (GET without a body, POST
///   with one); `-I` for a HEAD without a body.
/// - `-H 'Content-Type:'` when a body goes out without a Content-Type (curl would add
///   `application/x-www-form-urlencoded`), `-H 'Expect:'` on bodies over 1 KiB (as the engine).
/// - Never a `Cookie` header, nor (given the template) a header the client added from its
///   session such as the CSRF token: they are dead by the time a person reads them
///   (reproducer scripts log in and keep their own jar).
/// - With the request's template, headers that carry a secret, a cookie value or a credential
///   are written from the template (`"${STAMPEDE_SECRET_AUTHORIZATION}"`, `"${v_access_token}"`),
///   so no live secret or token is ever printed.
package enum CurlCommand {
    /// Bodies larger than this go into a file in reproducer scripts (`--data-binary @file`).
    package static let inlineBodyLimit = 2_048

    /// How the body reaches curl.
    package enum Body {
        case inline(ShellWord)
        /// `--data-binary @PATH`: the word is the path.
        case file(ShellWord)
    }

    /// A ready-to-paste command for a request as sent.
    ///
    /// - Parameters:
    ///   - url: the absolute URL, query included.
    ///   - template: the request's template, if known; credential headers are written from it.
    package static func render(
        method: String, url: String, headers: [HTTPHeader], body: [UInt8], template: RequestTemplate? = nil
    ) -> String {
        let words = headers.compactMap { header -> (String, ShellWord)? in
            if HTTPHeader.namesEqual(header.name, "Cookie") { return nil }
            // Not in the template: the client added it from its session (a CSRF token), dead by now.
            if let template, !template.headers.contains(named: header.name) { return nil }
            return (header.name, headerValue(header, template: template))
        }
        var bodyWord: ShellWord?
        if let text = template?.body?.text, text.contains("{{secret.") {
            bodyWord = ShellTemplate.word(text, encoding: .raw)
        } else if !body.isEmpty {
            bodyWord = ShellWord([.literal(body)])
        }
        let args = arguments(
            method: method, path: path(of: url), headers: words, body: bodyWord.map { .inline($0) },
            bodySize: body.count, url: ShellWord(literal: url))
        return args.joined(separator: " ")
    }

    /// The words of a curl command line (after `curl`).
    package static func arguments(
        method: String, path: String, headers: [(name: String, value: ShellWord)], body: Body?, bodySize: Int,
        url: ShellWord, options: [String] = ["-sS", "-i"]
    ) -> [String] {
        var parts = ["curl"] + options
        if hasDotSegments(path) { parts.append("--path-as-is") }
        if url.parts.contains(where: { if case .literal(let b) = $0 { b.contains(where: isGlobByte) } else { false } }) {
            parts.append("-g")
        }
        if method == "HEAD" && body == nil {
            // `-X HEAD` would make curl wait for a body that never comes.
            parts.removeAll { $0 == "-i" }
            parts.append("-I")
        } else if method != (body == nil ? "GET" : "POST") {
            parts += ["-X", ShellWord(literal: method).quoted]
        }
        // The URL early: an abbreviated line still shows where the request went.
        parts.append(url.quoted)
        for (name, value) in headers {
            var word = ShellWord(literal: name)
            if value.parts.isEmpty {
                word.append(literal: ";")  // curl's spelling of a header with an empty value
            } else {
                word.append(literal: ": ")
                word.append(value)
            }
            parts += ["-H", word.quoted]
        }
        if let body {
            if !headers.contains(where: { HTTPHeader.namesEqual($0.name, "Content-Type") }) { parts += ["-H", "'Content-Type:'"] }
            if bodySize > 1_024, !headers.contains(where: { HTTPHeader.namesEqual($0.name, "Expect") }) { parts += ["-H", "'Expect:'"] }
            switch body {
            case .inline(let word): parts += ["--data-binary", word.quoted]
            case .file(let word):
                var at = ShellWord(literal: "@")
                at.append(word)
                parts += ["--data-binary", at.quoted]
            }
        }
        return parts
    }

    /// A header value as sent, or from the template when it carries a secret, a cookie or a credential.
    static func headerValue(_ header: HTTPHeader, template: RequestTemplate?) -> ShellWord {
        guard let template,
            let recorded = template.headers.first(where: { HTTPHeader.namesEqual($0.name, header.name) }),
            recorded.value.contains("{{")
        else { return ShellWord(placeholders: header.value) }
        let names = Template.variables(in: recorded.value)
        let sensitive = isCredential(header.name)
            || names.contains { $0.hasPrefix(SecretName.variablePrefix) || $0.hasPrefix("cookie.") || $0 == "vu.password" }
        return sensitive ? ShellTemplate.word(recorded.value, encoding: .raw) : ShellWord(placeholders: header.value)
    }

    /// Headers whose values are credentials whatever variables they use.
    static func isCredential(_ name: String) -> Bool {
        ["Authorization", "Proxy-Authorization", "X-API-Key", "X-Auth-Token"].contains { HTTPHeader.namesEqual($0, name) }
    }

    /// The path of an absolute URL (no query or fragment).
    static func path(of url: String) -> String {
        var rest = url[...]
        if let scheme = rest.range(of: "://") {
            rest = rest[scheme.upperBound...]
            rest = rest.firstIndex(of: "/").map { rest[$0...] } ?? ""
        }
        if let q = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<q] }
        return String(rest)
    }

    /// Whether a path has a `.` or `..` segment (curl squashes them unless `--path-as-is`).
    package static func hasDotSegments(_ path: String) -> Bool {
        path.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == "." || $0 == ".." }
    }

    static func isGlobByte(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "[") || b == UInt8(ascii: "]") || b == UInt8(ascii: "{") || b == UInt8(ascii: "}")
    }

    /// Quotes a string for a POSIX shell (single quotes unless it needs none).
    package static func quote(_ s: String) -> String {
        ShellWord(literal: s).quoted
    }
}
