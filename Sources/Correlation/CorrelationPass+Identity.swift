import StampedeCore

// Roles (register/login/logout), identity (vu.*) and cookie echoes.
extension CorrelationPass {
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
}
