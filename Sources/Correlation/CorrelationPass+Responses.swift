import StampedeCore
import StampedeHTTP

// Response → request correlation: values a response produced that a later request uses.
extension CorrelationPass {
    struct Produced {
        var baseName: String
        var variable: String?
        var step: Int
        var rule: ExtractRule
        var origin: String
        var used = false
        var short: Bool
    }

    /// Values responses produced so far, keyed by their literal; names are given at first use, so
    /// unused candidates do not take a name.
    struct ProducedTable {
        var entries: [String: Produced] = [:]
        var names: Set<String>
        /// Literals of 8 characters or more, longest first: replaced inside longer values.
        var longLiterals: [String] = []

        mutating func add(_ literal: String, _ produced: Produced) {
            entries[literal] = produced
            if !produced.short, literal.count >= 8 {
                longLiterals.append(literal)
                longLiterals.sort { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
            }
        }

        mutating func variable(for literal: String) -> String {
            guard var p = entries[literal] else { return literal }
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
            entries[literal] = p
            return name
        }
    }

    mutating func correlateResponses() {
        var table = ProducedTable(names: Set(variables.map(\.name)))
        var clientValues: Set<String> = []
        let cookieValues = Set(drafts.flatMap { $0.exchange.requestCookies.map(\.value) + $0.exchange.responseCookies.map(\.value) })
        let excluded = cookieValues.union(identity.map(\.literal)).union(constantSegments())
        for i in drafts.indices {
            // 1. template this request with values produced earlier
            if !table.entries.isEmpty { templateRequest(i, with: &table) }
            // 2. remember what the client sent itself: an echo of it is not a server-made value
            for slot in drafts[i].slotValues() { clientValues.insert(slot.value) }
            // 3. values this response produces
            for candidate in Self.candidates(in: drafts[i].exchange) {
                let value = candidate.value
                guard table.entries[value] == nil, !clientValues.contains(value), !excluded.contains(value),
                    Self.isCorrelatable(value, key: candidate.key, isNumber: candidate.isNumber)
                else { continue }
                let name = Self.variableName(key: candidate.key, exchange: drafts[i].exchange)
                let rule = candidate.rule
                let origin = "step \(i + 1) response \(rule.source == .json ? rule.expression : rule.expression + (rule.pattern.map { " ~ \($0)" } ?? ""))"
                table.add(value, Produced(baseName: name, step: i, rule: rule, origin: origin, short: value.count < 6))
            }
        }
    }

    /// Path segments every request shares at its start (`api`, `v2`): constants of the target,
    /// never IDs, even when a redirect (`GET /` → `302 Location: /v2/`) showed them first.
    func constantSegments() -> Set<String> {
        let paths = drafts.map { $0.exchange.path.split(separator: "/").map(String.init) }.filter { !$0.isEmpty }
        guard var prefix = paths.first else { return [] }
        for path in paths.dropFirst() {
            prefix = Array(zip(prefix, path).prefix { $0 == $1 }.map(\.0))
        }
        return Set(prefix)
    }

    /// Templates request `i` with the values `table` holds and adds the extract rules they need.
    mutating func templateRequest(_ i: Int, with table: inout ProducedTable) {
        var used: [String] = []
        drafts[i].rewrite { slot in Self.template(slot, table: &table, used: &used) }
        for literal in used {
            guard var p = table.entries[literal], let name = p.variable, !p.used else { continue }
            p.used = true
            table.entries[literal] = p
            drafts[p.step].step.extract.append(p.rule)
            define(name, .extracted, p.origin)
        }
    }

    /// One request value with produced values templated: a whole value (short ones only where an ID
    /// is expected), path segments inside a path-like value (a batch body's `"path"`, a
    /// `Destination` header, a URL in a query), and long values inside any string.
    static func template(_ slot: ValueSlot, table: inout ProducedTable, used: inout [String]) -> String? {
        if !slot.value.contains("{{"), let p = table.entries[slot.value] {
            let idPlace = slot.kind == .pathSegment || (slot.kind != .header && slot.kind != .text && isIDKey(slot.key))
            guard !p.short || idPlace else { return nil }
            used.append(slot.value)
            return "{{\(table.variable(for: slot.value))}}"
        }
        guard !slot.isNumber, slot.kind != .pathSegment else { return nil }
        var value = slot.value
        if value.contains("/") {
            value = value.replacingPathSegments { segment in
                guard table.entries[segment] != nil else { return nil }
                used.append(segment)
                return "{{\(table.variable(for: segment))}}"
            }
        }
        for literal in table.longLiterals where value.contains(literal) {
            value = value.replacingOutsidePlaceholders(literal, with: "{{\(table.variable(for: literal))}}")
            used.append(literal)
        }
        return value == slot.value ? nil : value
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
                if let last = path.split(separator: "/").last, last.count < path.count, !isNavigation(exchange, to: last) {
                    out.append(Candidate(value: String(last), key: "location", isNumber: false,
                        rule: ExtractRule(variable: "", source: .header, expression: header.name, pattern: "([^/?#]+)/?(?:[?#].*)?$")))
                }
                out.append(Candidate(value: header.value, key: "location", isNumber: false, rule: ExtractRule(variable: "", source: .header, expression: header.name)))
            } else if name == "etag" || name == "authorization" || name.contains("token")
                || (name.hasPrefix("x-") && !name.hasPrefix("x-ratelimit") && name != "x-powered-by")
            {
                out.append(Candidate(value: header.value, key: name, isNumber: false, rule: ExtractRule(variable: "", source: .header, expression: header.name)))
            }
        }
        return out
    }

    /// A redirect to a page, not to a created resource: answering a `GET` with a segment that is
    /// not identifier-shaped (`/` → `/v2/`), or any request with a plain word (`POST /login` → `/home`).
    static func isNavigation(_ exchange: RecordedExchange, to segment: Substring) -> Bool {
        guard (300..<400).contains(exchange.status), !EndpointTemplate.isIdentifier(segment) else { return false }
        let method = exchange.method.uppercased()
        return method == "GET" || method == "HEAD" || !segment.contains(where: \.isNumber)
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
            || k == "ids" || k.hasSuffix("_ids") || key.hasSuffix("Ids") || key.hasSuffix("IDs")
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
}
