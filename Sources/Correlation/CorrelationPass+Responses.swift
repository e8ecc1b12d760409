import StampedeCore

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
}
