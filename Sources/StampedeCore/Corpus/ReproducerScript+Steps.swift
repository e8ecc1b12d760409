import StampedeHTTP

extension ReproducerScript {
    /// Headers the replayer never sends from a template (the jar and curl own them).
    static let managedHeaders = ["Cookie", "Content-Length", "Host", "Transfer-Encoding", "Connection"]

    /// Assignments a step's request needs just before it is sent: generators, cookie values, CSRF.
    static func prelude(for step: Step, settings: ReproducerSettings, index: Int) -> [String] {
        var lines: [String] = []
        var seen = Set<String>()
        for name in step.referencedVariables().map(String.init) where seen.insert(name).inserted {
            let variable = ShellTemplate.variable(for: name)
            switch name {
            case "random.uuid": lines.append("\(variable)=\"$(python3 -c \"$_py\" uuid)\"")
            case "random.int": lines.append("\(variable)=\"$((RANDOM * 32768 + RANDOM))\"")
            case "random.hex": lines.append("\(variable)=\"$(od -An -N8 -tx1 /dev/urandom | tr -d ' \\n')\"")
            case "now.ms": lines.append("\(variable)=\"$(date +%s%3N)\"")
            case "now.s": lines.append("\(variable)=\"$(date +%s)\"")
            case "now.iso": lines.append("\(variable)=\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"")
            default:
                if name.hasPrefix("cookie.") {
                    lines.append("\(variable)=\"$(cookie \(ShellWord(literal: name.dropFirst("cookie.".count)).quoted))\"")
                }
            }
        }
        if needsCSRF(step.request, settings: settings) {
            lines.append("_csrf=(); _v=\"$(cookie \(ShellWord(literal: settings.csrfCookie).quoted))\"")
            lines.append("[ -n \"$_v\" ] && _csrf=(-H \(ShellWord(literal: settings.csrfHeader + ": ").quoted)\"$_v\")")
        }
        return lines
    }

    /// Whether the replayer would add the CSRF header to this request (a write without one).
    static func needsCSRF(_ request: RequestTemplate, settings: ReproducerSettings) -> Bool {
        switch request.method.uppercased() {
        case "GET", "HEAD", "OPTIONS", "TRACE": false
        default: !request.headers.contains(named: settings.csrfHeader)
        }
    }

    /// The body file (when large or binary) and the `send` line of a step.
    static func send(_ step: Step, settings: ReproducerSettings, index: Int, isLast: Bool) -> [String] {
        let request = step.request
        var lines: [String] = []
        var body: CurlCommand.Body?
        var size = 0
        if let (word, bytes) = bodyWord(request) {
            size = bytes
            if bytes > CurlCommand.inlineBodyLimit || word.parts.contains(where: { if case .literal(let b) = $0 { b.contains(0) } else { false } }) {
                let file = "$_tmp/request-\(index + 1)"
                lines += bodyFile(word, path: file)
                body = .file(ShellWord([.expansion(file)]))
            } else {
                body = .inline(word)
            }
        }
        let headers = request.headers.filter { h in !managedHeaders.contains { HTTPHeader.namesEqual($0, h.name) } }
            .map { (name: $0.name, value: ShellTemplate.word($0.value, encoding: .raw)) }
        var options = ["--max-time", isLast ? ReportText.number(settings.timeoutSeconds) : streamTime(step, settings)]
        if !settings.verifyTLS { options.insert("-k", at: 0) }
        var args = CurlCommand.arguments(
            method: request.method, path: request.path, headers: headers, body: body, bodySize: size,
            url: url(request, settings: settings), options: options)
        args.removeFirst()  // "curl": `send` runs it
        if needsCSRF(request, settings: settings) { args.append("${_csrf[@]+\"${_csrf[@]}\"}") }
        let label = "step \(index + 1): \(request.method) \(request.path)"
        lines.append("send " + args.joined(separator: " "))
        if let poll = step.poll, !isLast {
            lines += pollLoop(poll, sendLine: lines[lines.count - 1])
        }
        lines.append("echo \(ShellWord(literal: label + " → ").quoted)\"$_status\" >&2")
        return lines
    }

    /// `--max-time` of a context step: a stream is read for its window (its extract rules only
    /// need the start), anything else gets the request timeout.
    static func streamTime(_ step: Step, _ settings: ReproducerSettings) -> String {
        guard step.stream != nil else { return ReportText.number(settings.timeoutSeconds) }
        return ReportText.number(min(step.stream?.windowSeconds ?? 1, 1))
    }

    /// Repeats a polled step until its field holds a terminal value (at most `max_attempts` sends).
    static func pollLoop(_ poll: PollOptions, sendLine: String) -> [String] {
        let until = poll.until.map { ShellWord(literal: $0).quoted }.joined(separator: " ")
        let pause = ReportText.number(Double(min(max(0, poll.intervalMs), 1_000)) / 1000)
        return [
            "for _attempt in $(seq 2 \(max(poll.maxAttempts, 1))); do",
            "  _v=\"$(python3 -c \"$_py\" json \(ShellWord(literal: poll.pointer).quoted) < \"$_tmp/body\")\"",
            "  for _done in \(until); do [ \"$_v\" = \"$_done\" ] && break 2; done",
            "  sleep \(pause)",
            "  " + sendLine,
            "done",
        ]
    }

    /// `"${BASE_URL}"` + the path (recorded prefix rewritten, variables percent-encoded) + the query.
    static func url(_ request: RequestTemplate, settings: ReproducerSettings) -> ShellWord {
        var url = ShellWord([.expansion("${BASE_URL}")])
        for part in ShellTemplate.word(settings.rewrite(path: request.path), encoding: .percent).parts {
            switch part {
            case .literal(let bytes): url.append(literal: PercentEncoding.sendablePath(String(decoding: bytes, as: UTF8.self)))
            case .expansion: url.parts.append(part)
            }
        }
        for (i, item) in request.query.enumerated() {
            url.append(literal: i == 0 ? "?" : "&")
            url.append(queryPart(item.name))
            if let value = item.value {
                url.append(literal: "=")
                url.append(queryPart(value))
            }
        }
        return url
    }

    /// A query name or value: percent-encoded whole, as `QueryItem.encode` does after rendering.
    static func queryPart(_ template: String) -> ShellWord {
        let raw = ShellTemplate.word(template, encoding: .raw)
        guard !raw.isLiteral else { return ShellWord(literal: PercentEncoding.encode(template)) }
        return ShellWord([.expansion("$(enc " + raw.quoted + ")")])
    }

    /// The body as a word, encoded for its content type, and its literal size in bytes.
    static func bodyWord(_ request: RequestTemplate) -> (ShellWord, Int)? {
        guard let body = request.body else { return nil }
        let word: ShellWord
        if let text = body.text {
            let type = (body.contentType ?? request.headers.value(named: "Content-Type") ?? "").lowercased()
            let encoding: ShellTemplate.Encoding =
                type.contains("json") ? .json : type.contains("x-www-form-urlencoded") ? .percent : .raw
            word = ShellTemplate.word(text, encoding: encoding)
        } else {
            word = ShellWord([.literal(body.rawBytes)])
        }
        let size = word.parts.reduce(0) { n, part in if case .literal(let b) = part { n + b.count } else { n } }
        return size == 0 && word.parts.isEmpty ? nil : (word, size)
    }

    /// Lines writing a body into a file: literal runs as base64 (binary-safe), variables printed.
    static func bodyFile(_ word: ShellWord, path: String) -> [String] {
        var lines = ["{"]
        for part in word.parts {
            switch part {
            case .literal(let bytes):
                let encoded = Array(Base64.encode(bytes))
                let rows = stride(from: 0, to: encoded.count, by: 76).map { String(encoded[$0..<min($0 + 76, encoded.count)]) }
                lines.append("  printf '%s' '" + rows.joined(separator: "\n") + "' | base64 -d")
            case .expansion(let text):
                lines.append("  printf '%s' \"" + text + "\"")
            }
        }
        lines.append("} > \"\(path)\"")
        return lines
    }

    /// Lines binding a context step's extract rules from its response.
    static func extracts(_ step: Step) -> [String] {
        step.extract.map { rule in
            let variable = ShellTemplate.variable(for: rule.variable)
            let expression = ShellWord(literal: rule.expression).quoted
            let pattern = ShellWord(literal: rule.pattern ?? "").quoted
            let command: String
            switch rule.source {
            case .json: command = "python3 -c \"$_py\" json \(expression) < \"$_tmp/body\""
            case .header: command = "python3 -c \"$_py\" header \(expression) \(pattern) < \"$_tmp/head\""
            case .regex: command = "python3 -c \"$_py\" regex \(expression) < \"$_tmp/body\""
            case .cookie:
                command = rule.pattern == nil
                    ? "cookie \(expression)" : "python3 -c \"$_py\" match \(pattern) \"$(cookie \(expression))\""
            }
            let missing = ShellWord(literal: "no value for \(rule.variable) (\(rule.source.rawValue) \(rule.expression))").quoted
            return "_v=\"$(\(command))\" && [ -n \"$_v\" ] && \(variable)=\"$_v\" || echo \(missing) >&2"
        }
    }

    /// The shell test for a conformance failure that the answer alone shows (`ConformanceViolation.text`):
    /// `negative-accepted` (any 2xx: triage kept the minimal request breaking its constraint), `status`
    /// (the undeclared status again), `content-type` (the declared status, when it is a number, with
    /// the same undeclared media type, or none) and `body-schema` (the declared status, and a body that
    /// is not JSON again or breaks `bodyCheck` again). Nil when the text is none of these.
    package static func conformanceCondition(_ failure: String, bodyCheck: BodyCheck? = nil) -> String? {
        if failure.hasPrefix("negative-accepted: ") { return "[[ \"$_status\" == 2[0-9][0-9] ]]" }
        if failure.hasPrefix(bodySchemaPrefix) { return bodySchemaCondition(failure, bodyCheck) }
        let undeclaredStatus = "status: status "
        if failure.hasPrefix(undeclaredStatus), let code = Int(failure.dropFirst(undeclaredStatus.count).prefix { $0.isNumber }) {
            return "[ \"$_status\" = \(code) ]"
        }
        let undeclaredType = "content-type: Content-Type "
        guard failure.hasPrefix(undeclaredType), let split = failure.firstRange(of: " not declared for ") else { return nil }
        let mediaType = String(failure[..<split.lowerBound].dropFirst(undeclaredType.count))
        let statusTest = Int(failure[split.upperBound...]).map { "[ \"$_status\" = \($0) ] && " } ?? ""
        if mediaType == "(none)" { return statusTest + "! grep -qi '^content-type:' \"$_tmp/head\"" }
        let received = "sed -n 's/^[Cc][Oo][Nn][Tt][Ee][Nn][Tt]-[Tt][Yy][Pp][Ee]: *\\([^;[:space:]]*\\).*/\\1/p' \"$_tmp/head\" | tail -1 | tr 'A-Z' 'a-z'"
        return statusTest + "[ \"$(\(received))\" = \(ShellWord(literal: mediaType).quoted) ]"
    }

    /// The start of a `body-schema` failure text (`body-schema: 200 body /items/*/id: type`).
    static let bodySchemaPrefix = "body-schema: "

    /// `body-schema: STATUS body …`: the declared status (a number, or a class like `2XX`; none for
    /// `default`), then `isjson` failing or the `schema` check holding.
    static func bodySchemaCondition(_ failure: String, _ bodyCheck: BodyCheck?) -> String? {
        let rest = failure.dropFirst(bodySchemaPrefix.count)
        let status = rest.prefix { $0 != " " }
        var statusTest = ""
        if Int(status) != nil {
            statusTest = "[ \"$_status\" = \(status) ] && "
        } else if status.count == 3, let digit = status.first, digit.isNumber, status.dropFirst().uppercased() == "XX" {
            statusTest = "[[ \"$_status\" == \(digit)[0-9][0-9] ]] && "
        }
        if rest.hasSuffix(" body is not JSON") { return statusTest + "! python3 -c \"$_py\" isjson < \"$_tmp/body\"" }
        guard let bodyCheck else { return nil }
        let arguments = ShellWord(literal: bodyCheck.pointer).quoted + " " + ShellWord(literal: bodyCheck.schema).quoted
        return statusTest + "python3 -c \"$_py\" schema \(arguments) < \"$_tmp/body\""
    }

    /// The last lines: compare what the failing request got with the crash record's failure.
    static func verdict(_ crash: CrashInfo?) -> [String] {
        let failure = crash?.failure ?? "500"
        let condition: String
        if Int(failure) != nil {
            condition = "[ \"$_status\" = \(failure) ]"
        } else if crash?.failureClass == "timeout" {
            condition = "[ \"$_rc\" = 28 ]"
        } else if crash?.failureClass == "conformance", let test = conformanceCondition(failure, bodyCheck: crash?.bodyCheck) {
            condition = test
        } else {
            condition = "[ \"$_rc\" != 0 ] && [ \"$_status\" = 000 ]"
        }
        let expected = ShellWord(literal: "(the finding: \(failure))").quoted
        return [
            "echo \"status $_status curl exit $_rc \"\(expected)",
            "if \(condition); then echo 'reproduced'; exit 0; fi",
            "echo 'not reproduced'",
            "exit 1",
        ]
    }
}
