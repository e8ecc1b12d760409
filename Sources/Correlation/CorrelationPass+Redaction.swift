import StampedeCore

// Volatile values (generators) and redaction of credentials.
extension CorrelationPass {
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
}
