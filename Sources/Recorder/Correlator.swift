public import StampedeCore
import StampedeHTTP

/// Turns the exchanges of one recorded session into a replayable ``Session``.
///
/// What it infers, in this order (each phase sees what the earlier ones templated):
/// 1. identity: `username`, `email`, `password` in register/login bodies become `vu.username`,
///    `vu.email`, `vu.password` everywhere in the session, so each replaying client is its own user;
/// 2. cookie echoes: a request value equal to a cookie the client sent (the double-submit CSRF
///    header) becomes `{{cookie.NAME}}`;
/// 3. correlation: a value that first appears in a response (JSON field, `Location`, `ETag`,
///    `X-…` header) and later in a request becomes a variable with an extract rule on the
///    producing step;
/// 4. volatile values: timestamps and one-off UUIDs/nonces become generators (`now.ms`, `random.uuid`);
/// 5. redaction (unless `keepSecrets`): remaining `Authorization` values, passwords and tokens;
/// 6. step metadata: role, expectation, endpoint key, SSE stream, polling (repeated GETs collapsed).
public struct Correlator: Sendable {
    public var options: RecordingOptions

    public init(options: RecordingOptions = .init()) {
        self.options = options
    }

    /// Builds the session; `id` and `name` are stored as given.
    public func session(id: String, name: String? = nil, exchanges: [RecordedExchange]) -> Session {
        var work = Work(options: options, drafts: exchanges.map(StepDraft.init))
        work.assignRoles()
        work.templateIdentity()
        work.templateCookieEchoes()
        work.correlateResponses()
        work.templateVolatileValues()
        if !options.keepSecrets { work.redactSecrets() }
        let steps = work.finishSteps()
        return Session(id: id, name: name ?? work.suggestedName(), variables: work.variables, steps: steps)
    }
}

/// Mutable state of one correlation pass.
struct Work {
    let options: RecordingOptions
    var drafts: [StepDraft]
    var variables: [VariableDefinition] = []
    var identity: [(literal: String, variable: String)] = []

    init(options: RecordingOptions, drafts: [StepDraft]) {
        self.options = options
        self.drafts = drafts
    }

    mutating func define(_ name: String, _ kind: VariableDefinition.Kind, _ origin: String) {
        guard !variables.contains(where: { $0.name == name }) else { return }
        variables.append(VariableDefinition(name: name, kind: kind, origin: origin))
    }

    // MARK: roles

    mutating func assignRoles() {
        for i in drafts.indices {
            drafts[i].step.role = Self.role(method: drafts[i].exchange.method, path: drafts[i].exchange.path)
        }
    }

    static func role(method: String, path: String) -> StepRole? {
        let p = path.lowercased()
        let last = p.split(separator: "/").last.map(String.init) ?? ""
        if ["logout", "signout", "sign-out", "sign_out"].contains(last) { return .logout }
        guard method.uppercased() == "POST" else { return nil }
        if ["register", "signup", "sign-up", "sign_up", "users"].contains(last) && (last != "users" || p.contains("auth")) {
            return .register
        }
        if ["login", "signin", "sign-in", "sign_in", "token", "session", "sessions"].contains(last) { return .login }
        return nil
    }

    // MARK: identity

    static let usernameKeys: Set<String> = ["username", "user", "user_name", "userName", "login"]
    static let emailKeys: Set<String> = ["email", "email_address", "emailAddress", "mail"]
    static let passwordKeys: Set<String> = [
        "password", "passwd", "pass", "password1", "password2", "password_confirmation",
        "confirm_password", "passwordConfirmation", "new_password", "current_password",
    ]

    mutating func templateIdentity() {
        var password: String?, email: String?, username: String?
        var origins: [String: String] = [:]
        for (index, draft) in drafts.enumerated() where draft.step.role == .register || draft.step.role == .login {
            var scratch = draft
            scratch.rewrite { slot in
                guard slot.kind == .jsonLeaf || slot.kind == .form, !slot.value.isEmpty else { return nil }
                let origin = "step \(index + 1) request \(slot.kind == .form ? "form field" : "body") \(slot.key)"
                if Self.passwordKeys.contains(slot.key), password == nil {
                    password = slot.value
                    origins["vu.password"] = origin
                } else if Self.emailKeys.contains(slot.key) || (Self.usernameKeys.contains(slot.key) && slot.value.contains("@")) {
                    if email == nil {
                        email = slot.value
                        origins["vu.email"] = origin
                    }
                } else if Self.usernameKeys.contains(slot.key), username == nil {
                    username = slot.value
                    origins["vu.username"] = origin
                }
                return nil
            }
        }
        // Longest first, so an email is replaced before the username it contains.
        if let password { identity.append((password, "vu.password")) }
        if let email { identity.append((email, "vu.email")) }
        if let username { identity.append((username, "vu.username")) }
        guard !identity.isEmpty else { return }
        for (_, variable) in identity { define(variable, .client, origins[variable] ?? "identity") }
        let pairs = identity
        for i in drafts.indices {
            drafts[i].rewrite { slot in
                var value = slot.value
                for (literal, variable) in pairs {
                    if value == literal {
                        return slot.isNumber ? nil : "{{\(variable)}}"
                    }
                    if literal.count >= 4, slot.kind != .jsonLeaf || !slot.isNumber {
                        value = value.replacingOutsidePlaceholders(literal, with: "{{\(variable)}}")
                    }
                }
                return value == slot.value ? nil : value
            }
        }
    }

    // MARK: cookie echoes (double-submit CSRF)

    mutating func templateCookieEchoes() {
        for i in drafts.indices {
            let cookies = drafts[i].exchange.requestCookies.filter { $0.value.count >= 8 }
            guard !cookies.isEmpty else { continue }
            var found: [(String, String)] = []
            drafts[i].rewrite { slot in
                guard !slot.isNumber else { return nil }
                for (name, value) in cookies {
                    if slot.value == value {
                        found.append((name, slot.key))
                        return "{{cookie.\(name)}}"
                    }
                    if slot.kind == .header, value.count >= 16, slot.value.contains(value) {
                        found.append((name, slot.key))
                        return slot.value.replacingOutsidePlaceholders(value, with: "{{cookie.\(name)}}")
                    }
                }
                return nil
            }
            for (name, key) in found {
                let origin = name == options.csrfCookie || key.lowercased() == options.csrfHeader.lowercased()
                    ? "double-submit: \(key) echoes cookie \(name)"
                    : "\(key) echoes cookie \(name)"
                define("cookie.\(name)", .cookie, origin)
            }
        }
    }

    // MARK: response → request correlation

    struct Produced {
        var baseName: String
        var variable: String?
        var step: Int
        var rule: ExtractRule
        var origin: String
        var used = false
        var short: Bool
    }

    mutating func correlateResponses() {
        var produced: [String: Produced] = [:]
        var names: Set<String> = Set(variables.map(\.name))
        var clientValues: Set<String> = []
        let cookieValues = Set(drafts.flatMap { $0.exchange.requestCookies.map(\.value) + $0.exchange.responseCookies.map(\.value) })
        let identityLiterals = Set(identity.map(\.literal))

        /// Names are given at first use, so unused candidates do not take a name.
        func variable(for literal: String) -> String {
            guard var p = produced[literal] else { return literal }
            if let name = p.variable { return name }
            var name = p.baseName
            if names.contains(name) {
                var n = 2
                while names.contains("\(name)_\(n)") { n += 1 }
                name = "\(name)_\(n)"
            }
            names.insert(name)
            p.variable = name
            p.rule.variable = name
            produced[literal] = p
            return name
        }

        for i in drafts.indices {
            // 1. template this request with values produced earlier
            var usedHere: [String] = []
            if !produced.isEmpty {
                let table = produced
                drafts[i].rewrite { slot in
                    guard !slot.value.contains("{{") || slot.kind == .header || slot.kind == .text else { return nil }
                    if let p = table[slot.value] {
                        if p.short && !(slot.kind == .pathSegment || (slot.kind == .jsonLeaf && Self.isIDKey(slot.key)) || (slot.kind == .query && Self.isIDKey(slot.key))) {
                            return nil
                        }
                        usedHere.append(slot.value)
                        return "{{\(variable(for: slot.value))}}"
                    }
                    guard slot.kind == .header || slot.kind == .text || slot.kind == .query else { return nil }
                    var value = slot.value
                    for (literal, p) in table where !p.short && literal.count >= 8 && value.contains(literal) {
                        value = value.replacingOutsidePlaceholders(literal, with: "{{\(variable(for: literal))}}")
                        usedHere.append(literal)
                    }
                    return value == slot.value ? nil : value
                }
            }
            for literal in usedHere {
                guard var p = produced[literal], let name = p.variable else { continue }
                if !p.used {
                    p.used = true
                    drafts[p.step].step.extract.append(p.rule)
                    define(name, .extracted, p.origin)
                }
                produced[literal] = p
            }
            // 2. remember what the client sent itself: an echo of it is not a server-made value
            var scratch = drafts[i]
            scratch.rewrite { slot in
                clientValues.insert(slot.value)
                return nil
            }
            // 3. values this response produces
            for candidate in Self.candidates(in: drafts[i].exchange) {
                let value = candidate.value
                guard produced[value] == nil, !clientValues.contains(value), !cookieValues.contains(value),
                    !identityLiterals.contains(value), Self.isCorrelatable(value, key: candidate.key, isNumber: candidate.isNumber)
                else { continue }
                let name = Self.variableName(key: candidate.key, exchange: drafts[i].exchange)
                let rule = candidate.rule
                let origin = "step \(i + 1) response \(rule.source == .json ? rule.expression : rule.expression + (rule.pattern.map { " ~ \($0)" } ?? ""))"
                produced[value] = Produced(baseName: name, step: i, rule: rule, origin: origin, short: value.count < 6)
            }
        }
    }

    struct Candidate {
        var value: String
        var key: String
        var isNumber: Bool
        var rule: ExtractRule
    }

    static func candidates(in exchange: RecordedExchange) -> [Candidate] {
        var out: [Candidate] = []
        if exchange.responseMediaType?.contains("json") == true || exchange.responseBody.first == UInt8(ascii: "{"),
            let value = try? JSONParser().parse(exchange.responseBody)
        {
            walk(value, pointer: "", key: "") { pointer, key, leaf, isNumber in
                out.append(Candidate(value: leaf, key: key, isNumber: isNumber, rule: ExtractRule(variable: "", source: .json, expression: pointer)))
            }
        }
        for header in exchange.responseHeaders {
            let name = header.name.lowercased()
            if name == "location" {
                let path = header.value.split(separator: "?", maxSplits: 1).first.map(String.init) ?? header.value
                if let last = path.split(separator: "/").last, last.count < path.count {
                    out.append(Candidate(value: String(last), key: "location", isNumber: false,
                        rule: ExtractRule(variable: "", source: .header, expression: header.name, pattern: "([^/?#]+)(?:[?#].*)?$")))
                }
                out.append(Candidate(value: header.value, key: "location", isNumber: false, rule: ExtractRule(variable: "", source: .header, expression: header.name)))
            } else if name == "etag" || (name.hasPrefix("x-") && !name.hasPrefix("x-ratelimit") && name != "x-powered-by") {
                out.append(Candidate(value: header.value, key: name, isNumber: false, rule: ExtractRule(variable: "", source: .header, expression: header.name)))
            }
        }
        return out
    }

    static func walk(_ value: JSONValue, pointer: String, key: String, _ visit: (String, String, String, Bool) -> Void) {
        switch value {
        case .object(let members):
            for member in members {
                walk(member.value, pointer: pointer + "/" + StepDraft.escape(member.key), key: member.key, visit)
            }
        case .array(let items):
            for (i, item) in items.enumerated() { walk(item, pointer: pointer + "/\(i)", key: key, visit) }
        case .string(let s): visit(pointer, key, s, false)
        case .number(let n): visit(pointer, key, n.text, true)
        case .bool, .null: break
        }
    }

    static func isIDKey(_ key: String) -> Bool {
        let k = key.lowercased()
        return k == "id" || k.hasSuffix("_id") || key.hasSuffix("Id") || key.hasSuffix("ID")
            || k.hasSuffix("uuid") || k.hasSuffix("token") || k == "location" || k == "etag"
    }

    static let stopKeys: Set<String> = [
        "status", "state", "message", "detail", "error", "type", "lang", "lang_version", "theme", "created_at",
        "updated_at", "timestamp", "time", "date", "event_type", "name", "script", "result", "output", "description",
    ]

    /// Whether a response value is specific enough to be recognised later in a request.
    static func isCorrelatable(_ value: String, key: String, isNumber: Bool) -> Bool {
        guard !value.isEmpty, value.count <= 4096, !value.contains(" "), !value.contains("\n") else { return false }
        if stopKeys.contains(key.lowercased()) && !isIDKey(key) { return false }
        if isNumber { return isIDKey(key) && !value.contains(".") && !value.hasPrefix("-") }
        if looksLikeDate(value) { return false }
        if isIDKey(key) { return true }
        if EndpointTemplate.isIdentifier(value[...]) { return true }
        let hasDigit = value.contains { $0.isNumber }, hasLetter = value.contains { $0.isLetter }
        return value.count >= 12 && hasDigit && hasLetter && !value.contains(":")
    }

    static func looksLikeDate(_ value: String) -> Bool {
        let b = Array(value.utf8.prefix(10))
        guard b.count == 10 else { return false }
        let digit = { (x: UInt8) in x >= 0x30 && x <= 0x39 }
        return digit(b[0]) && digit(b[1]) && digit(b[2]) && digit(b[3]) && b[4] == 0x2D && digit(b[5]) && digit(b[6]) && b[7] == 0x2D
    }

    /// `execution_id` stays; `id` from `POST /api/v1/scripts` becomes `script_id`.
    static func variableName(key: String, exchange: RecordedExchange) -> String {
        var base = key
        if key.lowercased() == "id" || key == "location" || key.isEmpty {
            let words = exchange.path.split(separator: "/").filter { !EndpointTemplate.isIdentifier($0) }
            var resource = words.last.map(String.init) ?? "resource"
            if resource.hasSuffix("ies") {
                resource = String(resource.dropLast(3)) + "y"
            } else if resource.hasSuffix("s") && !resource.hasSuffix("ss") {
                resource = String(resource.dropLast())
            }
            base = resource + "_id"
        }
        let cleaned = String(base.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
        return cleaned.first?.isNumber == true ? "v_" + cleaned : cleaned
    }

    // MARK: volatile values

    mutating func templateVolatileValues() {
        var counts: [String: Int] = [:]
        for draft in drafts {
            var scratch = draft
            scratch.rewrite { slot in
                counts[slot.value, default: 0] += 1
                return nil
            }
        }
        for i in drafts.indices {
            var found: [(String, String)] = []
            drafts[i].rewrite { slot in
                guard slot.kind != .text, slot.kind != .pathSegment, counts[slot.value] == 1,
                    let generator = Self.generator(for: slot)
                else { return nil }
                found.append((generator, slot.pointer.isEmpty ? slot.key : slot.pointer))
                return "{{\(generator)}}"
            }
            for (generator, place) in found { define(generator, .generator, "step \(i + 1) request \(place)") }
        }
    }

    static let nonceKeys: Set<String> = ["nonce", "request_id", "requestid", "idempotency_key", "idempotency-key", "x-request-id", "correlation_id", "x-correlation-id", "trace_id", "cnonce"]

    static func generator(for slot: ValueSlot) -> String? {
        let value = slot.value
        guard !value.contains("{{") else { return nil }
        if value.allSatisfy(\.isNumber), let number = Int64(value) {
            if value.count == 13, number >= 946_684_800_000, number <= 4_102_444_800_000 { return "now.ms" }
            if value.count == 10, number >= 946_684_800, number <= 4_102_444_800,
                slot.key.lowercased().contains("time") || slot.key.lowercased().hasSuffix("_at") || slot.key.lowercased() == "ts"
            {
                return "now.s"
            }
        }
        if !slot.isNumber, looksLikeDate(value), value.count >= 19, value.contains("T") { return "now.iso" }
        guard !slot.isNumber else { return nil }
        let isUUID = value.count == 36 && value.filter { $0 == "-" }.count == 4 && value.allSatisfy { $0 == "-" || $0.isHexDigit }
        if isUUID { return "random.uuid" }
        if nonceKeys.contains(slot.key.lowercased()) {
            return value.allSatisfy(\.isHexDigit) ? "random.hex" : "random.uuid"
        }
        return nil
    }

    // MARK: redaction

    static let secretHeaders: Set<String> = ["authorization", "proxy-authorization", "x-api-key", "api-key", "x-auth-token", "x-access-token"]
    static let secretKeys: Set<String> = [
        "token", "access_token", "refresh_token", "id_token", "api_key", "apikey", "secret", "client_secret",
        "private_key", "auth_token", "session_token",
    ]

    mutating func redactSecrets() {
        let password = identity.first { $0.variable == "vu.password" }?.literal
        for i in drafts.indices {
            var found: [(String, String)] = []
            drafts[i].rewrite { slot in
                var value = slot.value
                if let password, password.count >= 3 {
                    value = value.replacingOutsidePlaceholders(password, with: "{{vu.password}}")
                }
                let key = slot.key.lowercased()
                if slot.kind == .header, Self.secretHeaders.contains(key), !value.contains("{{") {
                    let name = "secret." + key.replacing("-", with: "_")
                    found.append((name, "header \(slot.key)"))
                    value = "{{\(name)}}"
                } else if slot.kind == .jsonLeaf || slot.kind == .form || slot.kind == .query, !value.contains("{{") {
                    if Self.passwordKeys.contains(slot.key) {
                        found.append(("vu.password", "\(slot.key) field"))
                        value = "{{vu.password}}"
                    } else if Self.secretKeys.contains(key) {
                        let name = "secret." + key
                        found.append((name, "\(slot.key) field"))
                        value = "{{\(name)}}"
                    }
                }
                if slot.isNumber && !value.isPlaceholder { return nil }
                return value == slot.value ? nil : value
            }
            for (name, place) in found {
                define(name, .client, "redacted \(place) of step \(i + 1)" + (name.hasPrefix("secret.") ? "; replay reads it from STAMPEDE_SECRET_\(name.dropFirst(7).uppercased())" : ""))
            }
        }
    }

    // MARK: step metadata

    mutating func finishSteps() -> [Step] {
        var steps: [Step] = []
        var pollRuns: [(start: Int, end: Int)] = []
        var i = 0
        while i < drafts.count {
            var j = i
            while j + 1 < drafts.count, drafts[j + 1].exchange.method == "GET", drafts[i].exchange.method == "GET",
                drafts[j + 1].template() == drafts[i].template()
            {
                j += 1
            }
            if j > i, isPoll(Array(drafts[i...j])) { pollRuns.append((i, j)) }
            i = j + 1
        }
        var index = 0
        while index < drafts.count {
            let draft = drafts[index]
            var step = draft.step
            step.request = draft.template()
            let exchange = draft.exchange
            if exchange.status > 0 {
                step.expect = exchange.status == 304 ? Expectation(status: nil, statusClass: 2) : Expectation(status: exchange.status)
            }
            step.endpoint = EndpointTemplate.key(method: step.request.method, path: step.request.path)
            if exchange.responseMediaType == "text/event-stream" { step.stream = StreamOptions() }
            if let run = pollRuns.first(where: { $0.start == index }) {
                let polled = Array(drafts[run.start...run.end])
                let gaps = zip(polled.dropFirst(), polled).map { $0.exchange.startedAtMs - $1.exchange.startedAtMs }
                let interval = gaps.isEmpty ? 500 : Int(gaps.reduce(0, +) / Int64(gaps.count))
                step.poll = PollOptions(
                    pointer: "/status", until: options.terminalStatuses.sorted(),
                    maxAttempts: max(5, polled.count * 2), intervalMs: min(5000, max(100, interval)))
                for other in polled.dropFirst() {
                    for rule in other.step.extract where !step.extract.contains(rule) { step.extract.append(rule) }
                }
                if let last = polled.last, last.exchange.status > 0 { step.expect = Expectation(status: last.exchange.status) }
                index = run.end + 1
            } else {
                index += 1
            }
            steps.append(step)
        }
        return steps
    }

    func isPoll(_ run: [StepDraft]) -> Bool {
        let statuses = run.map { draft -> String? in
            guard let value = try? JSONParser().parse(draft.exchange.responseBody) else { return nil }
            return value[pointer: "/status"]?.stringValue
        }
        guard let last = statuses.last ?? nil, options.terminalStatuses.contains(last.lowercased()) else { return false }
        return statuses.dropLast().contains { status in status.map { !options.terminalStatuses.contains($0.lowercased()) } ?? false }
    }

    func suggestedName() -> String {
        let words = drafts.compactMap { draft -> String? in
            let parts = draft.exchange.path.split(separator: "/").filter { !EndpointTemplate.isIdentifier($0) }
            return parts.last.map(String.init)
        }
        var seen: [String] = []
        for w in words where !seen.contains(w) { seen.append(w) }
        return seen.prefix(6).joined(separator: " → ")
    }
}
