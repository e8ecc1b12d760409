import StampedeCore
import StampedeHTTP

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



    /// Secret names: one per base name and distinct value; the first value takes the base name
    /// (`authorization_basic`), later ones `_2`, `_3`.
    struct SecretNames {
        var byValue: [String: String] = [:]
        var counts: [String: Int] = [:]

        mutating func name(base: String, value: String) -> String {
            let key = base + "\u{0}" + value
            if let name = byValue[key] { return name }
            let count = counts[base, default: 0] + 1
            counts[base] = count
            let name = count == 1 ? base : "\(base)_\(count)"
            byValue[key] = name
            return name
        }
    }

    mutating func redactSecrets() {
        let password = identity.first { $0.variable == "vu.password" }?.literal
        var secrets = SecretNames()
        for i in drafts.indices {
            var found: [(variable: String, place: String)] = []
            drafts[i].rewrite { slot in
                Self.redact(slot, fields: options.secretFields, password: password, secrets: &secrets, found: &found)
            }
            for (variable, place) in found {
                let reads = SecretName.name(ofVariable: variable).map { "; replay reads it from \(SecretName.environmentVariable(for: $0))" } ?? ""
                define(variable, .client, "redacted \(place) of step \(i + 1)" + reads)
            }
        }
    }

    /// One request value with credentials replaced: the recorded password by `vu.password`, a
    /// credential header by a secret (an `Authorization` keeps its scheme: `Basic {{secret.authorization_basic}}`),
    /// password fields by `vu.password`, other credential fields (by their own name or, in JSON, the
    /// name of any object that holds them) by a secret.
    static func redact(
        _ slot: ValueSlot, fields: SecretFields, password: String?, secrets: inout SecretNames, found: inout [(variable: String, place: String)]
    ) -> String? {
        var value = slot.value
        if let password, password.count >= 3 {
            value = value.replacingOutsidePlaceholders(password, with: "{{vu.password}}")
        }
        if !value.contains("{{"), let name = secretFieldName(of: slot, fields: fields) {
            value = redacted(value, slot: slot, name: name, secrets: &secrets, found: &found)
        }
        if slot.isNumber && !value.isPlaceholder { return nil }
        return value == slot.value ? nil : value
    }

    /// Members inside a credential object that say what kind it is, not what it holds.
    static let descriptorKeys: Set<String> = ["type", "kind", "scheme", "method", "algorithm", "alg"]

    /// The name that makes `slot` a credential: its header, form or query name, its JSON member
    /// name or that of an enclosing object; nil when it is none (or `--keep` exempts it).
    static func secretFieldName(of slot: ValueSlot, fields: SecretFields) -> String? {
        switch slot.kind {
        case .header, .query, .form:
            if slot.kind != .header, passwordKeys.contains(slot.key) { return fields.isKept(slot.key) ? nil : slot.key }
            return fields.isSecret(slot.key) ? slot.key : nil
        case .jsonLeaf:
            if passwordKeys.contains(slot.key) { return fields.isKept(slot.key) ? nil : slot.key }
            if fields.isSecret(slot.key) { return slot.key }
            // A member that names a kind (`"auth": {"type": "m.login.dummy"}`) describes the credential, it is not one.
            guard !descriptorKeys.contains(slot.key.lowercased()) else { return nil }
            let enclosing: [String] = slot.pointer.split(separator: "/").dropLast().map { segment in
                String(segment).replacing("~1", with: "/").replacing("~0", with: "~")
            }
            return enclosing.last(where: { fields.isSecret($0) })
        case .pathSegment, .text:
            return nil
        }
    }

    private static func redacted(
        _ value: String, slot: ValueSlot, name: String, secrets: inout SecretNames, found: inout [(variable: String, place: String)]
    ) -> String {
        let key = name.lowercased()
        if slot.kind == .header {
            let base = secretBase(key)
            if key.hasSuffix("authorization"), let (scheme, credentials) = StepDraft.scheme(of: value) {
                let secret = secrets.name(base: base + "_" + secretBase(scheme.lowercased()), value: credentials)
                found.append((SecretName.variablePrefix + secret, "header \(slot.key) (the credentials after `\(scheme) `)"))
                return "\(scheme) {{\(SecretName.variablePrefix)\(secret)}}"
            }
            let secret = secrets.name(base: base, value: value)
            found.append((SecretName.variablePrefix + secret, "header \(slot.key)"))
            return "{{\(SecretName.variablePrefix)\(secret)}}"
        }
        if passwordKeys.contains(name) {
            found.append(("vu.password", "\(slot.key) field"))
            return "{{vu.password}}"
        }
        let secret = secrets.name(base: secretBase(key), value: value)
        found.append((SecretName.variablePrefix + secret, name == slot.key ? "\(slot.key) field" : "\(slot.key) field in \(name)"))
        return "{{\(SecretName.variablePrefix)\(secret)}}"
    }

    /// A header, field or scheme name as a secret NAME part: lowercase, `[a-z0-9_]`.
    static func secretBase(_ text: String) -> String {
        String(text.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }
}
