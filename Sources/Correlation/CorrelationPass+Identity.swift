import StampedeCore
import StampedeHTTP

// Roles (register/login/logout), identity (vu.*) and cookie echoes.
extension CorrelationPass {
    mutating func assignRoles() {
        for i in drafts.indices {
            let exchange = drafts[i].exchange
            drafts[i].step.role = Self.role(method: exchange.method, path: exchange.path, hasPassword: drafts[i].hasLoginPassword)
        }
    }

    static let logoutWords: Set<String> = ["logout", "signout", "sign-out", "sign_out"]
    static let registerWords: Set<String> = ["register", "signup", "sign-up", "sign_up"]
    static let loginWords: Set<String> = ["login", "signin", "sign-in", "sign_in", "token", "session", "sessions", "authenticate"]
    /// Path words of account collections: a request there carrying a password creates an account.
    static let accountWords: Set<String> = ["accounts", "account", "users", "user", "members", "signup", "register"]

    /// The role of a request: logout by its last path word; register or login by its last path word
    /// (`/auth/register`, `/_matrix/client/v3/login`, `/oauth/token`), or by a password in the body
    /// (`POST /accounts`, `PUT /accounts/alice` → register; any other POST → form login).
    static func role(method: String, path: String, hasPassword: Bool) -> StepRole? {
        let words = path.lowercased().split(separator: "/").map(String.init)
        let last = words.last ?? ""
        if logoutWords.contains(last) { return .logout }
        let method = method.uppercased()
        guard method == "POST" || (method == "PUT" && hasPassword) else { return nil }
        if registerWords.contains(last) || (last == "users" && words.contains("auth")) { return .register }
        if loginWords.contains(last) && method == "POST" { return .login }
        guard hasPassword else { return nil }
        // `POST /accounts`, `PUT /accounts/alice`: the account collection, or one account in it.
        let collection = method == "POST" ? last : (words.count >= 2 ? words[words.count - 2] : "")
        if accountWords.contains(collection) { return .register }
        return method == "POST" ? .login : nil
    }

    // MARK: identity

    static let usernameKeys: Set<String> = ["username", "user", "user_name", "userName", "login"]
    static let emailKeys: Set<String> = ["email", "email_address", "emailAddress", "mail"]
    static let passwordKeys: Set<String> = [
        "password", "passwd", "pass", "pwd", "password1", "password2", "password_confirmation",
        "confirm_password", "passwordConfirmation", "new_password", "current_password", "j_password",
    ]
    /// Password fields of a sign-up or login form (not of a password change).
    static let loginPasswordKeys: Set<String> = ["password", "passwd", "pass", "pwd", "password1", "j_password"]

    /// Identity literals found in register/login requests, with where each was found.
    struct IdentityFinding {
        var password: String?
        var email: String?
        var username: String?
        var origins: [String: String] = [:]
    }

    mutating func templateIdentity() {
        var found = basicSignUp() ?? IdentityFinding()
        for (index, draft) in drafts.enumerated() where draft.step.role == .register || draft.step.role == .login {
            Self.collectIdentity(in: draft, step: index, into: &found)
        }
        // Without a sign-up in the session the account exists on the target: its name stays as
        // recorded (every client logs in to it), only the password is the configured one.
        if !drafts.contains(where: { $0.step.role == .register }) {
            found.username = nil
            found.email = nil
        }
        // Longest first, so an email is replaced before the username it contains.
        if let password = found.password { identity.append((password, "vu.password")) }
        if let email = found.email { identity.append((email, "vu.email")) }
        if let username = found.username { identity.append((username, "vu.username")) }
        guard !identity.isEmpty else { return }
        for (_, variable) in identity { define(variable, .client, found.origins[variable] ?? "identity") }
        if let username = found.username, let password = found.password { templateBasicIdentity(username: username, password: password) }
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

    /// Username, email and password fields of one register/login request; a register `PUT`
    /// without a username field names the account by its last path segment (`PUT /accounts/alice`).
    static func collectIdentity(in draft: StepDraft, step index: Int, into found: inout IdentityFinding) {
        var scratch = draft
        var sawUsername = false
        scratch.rewrite { slot in
            guard slot.kind == .jsonLeaf || slot.kind == .form, !slot.value.isEmpty else { return nil }
            let origin = "step \(index + 1) request \(slot.kind == .form ? "form field" : "body") \(slot.key)"
            if Self.passwordKeys.contains(slot.key), found.password == nil {
                found.password = slot.value
                found.origins["vu.password"] = origin
            } else if Self.emailKeys.contains(slot.key) || (Self.usernameKeys.contains(slot.key) && slot.value.contains("@")) {
                if found.email == nil {
                    found.email = slot.value
                    found.origins["vu.email"] = origin
                }
            } else if Self.usernameKeys.contains(slot.key) {
                sawUsername = true
                if found.username == nil {
                    found.username = slot.value
                    found.origins["vu.username"] = origin
                }
            }
            return nil
        }
        guard draft.step.role == .register, !sawUsername, found.username == nil, draft.exchange.method.uppercased() == "PUT",
            let last = draft.segments.last(where: { !$0.isEmpty }).map({ PercentEncoding.decode($0) }), ClientNames.isNameShaped(last)
        else { return }
        found.username = last
        found.origins["vu.username"] = "step \(index + 1) request path (the account it creates)"
    }

    /// An HTTP Basic credential `user:password` whose password an earlier request of the recording
    /// sent in its body, with `user` in that request's path or body: the recording signed the
    /// account up itself, so each replaying client signs up its own (`vu.username`, `vu.password`).
    mutating func basicSignUp() -> IdentityFinding? {
        for (index, draft) in drafts.enumerated() {
            guard let (user, password) = draft.basicCredentials, !user.isEmpty, !password.isEmpty else { continue }
            for signUp in 0..<index {
                let values = drafts[signUp].slotValues()
                let hasPassword = values.contains { ($0.kind == .jsonLeaf || $0.kind == .form) && $0.value == password }
                guard hasPassword, values.contains(where: { $0.value == user && $0.kind != .header }) else { continue }
                if drafts[signUp].step.role == nil { drafts[signUp].step.role = .register }
                let origin = "step \(signUp + 1) request (sign-up of the Basic credentials of step \(index + 1))"
                return IdentityFinding(password: password, username: user, origins: ["vu.password": origin, "vu.username": origin])
            }
        }
        return nil
    }

    /// `Authorization: Basic base64(username:password)` of the recorded identity → `Basic {{vu.basic}}`.
    mutating func templateBasicIdentity(username: String, password: String) {
        var used = false
        for i in drafts.indices {
            guard let (user, pass) = drafts[i].basicCredentials, user == username, pass == password else { continue }
            drafts[i].rewrite { slot in
                guard slot.kind == .header, HTTPHeader.namesEqual(slot.key, "Authorization") else { return nil }
                used = true
                return "Basic {{vu.basic}}"
            }
        }
        if used { define("vu.basic", .client, "HTTP Basic credentials of the recorded sign-up: base64(vu.username:vu.password)") }
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
                let origin = name == options.csrfCookie || HTTPHeader.namesEqual(key, options.csrfHeader)
                    ? "double-submit: \(key) echoes cookie \(name)"
                    : "\(key) echoes cookie \(name)"
                define("cookie.\(name)", .cookie, origin)
            }
        }
    }
}
