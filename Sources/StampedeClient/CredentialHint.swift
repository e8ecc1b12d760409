public import StampedeCore
import StampedeHTTP

/// Why a step that was recorded as a success may now be refused: the credential variables its
/// request carries, and what to set. Verification prints it under a differing step.
public enum CredentialHint {
    /// `Authorization came from {{secret.authorization_basic}}, set STAMPEDE_SECRET_AUTHORIZATION_BASIC`,
    /// or nil when the step carries no secret or password, or was not refused (401/403).
    public static func explain(_ step: Step, status: Int, secrets: Secrets) -> String? {
        guard status == 401 || status == 403 else { return nil }
        var parts: [String] = []
        for (place, text) in places(of: step.request) {
            for name in Template.variables(in: text) {
                guard let line = advice(for: name, secrets: secrets) else { continue }
                let part = "\(place) came from {{\(name)}}, \(line)"
                if !parts.contains(part) { parts.append(part) }
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    static func advice(for name: Substring, secrets: Secrets) -> String? {
        if let secret = SecretName.name(ofVariable: name) {
            let variable = SecretName.environmentVariable(for: secret)
            return secrets.value(named: secret) == nil ? "set \(variable)" : "check the value of \(variable)"
        }
        if name == "vu.password" { return "check LOAD_USER_PASSWORD (the password this client signs in with)" }
        return nil
    }

    /// Named parts of a request that may carry a credential.
    static func places(of request: RequestTemplate) -> [(String, String)] {
        var out = request.headers.map { ($0.name, $0.value) }
        if let text = request.body?.text { out.append(("the body", text)) }
        out += request.query.compactMap { item in item.value.map { ("query " + item.name, $0) } }
        return out
    }
}
