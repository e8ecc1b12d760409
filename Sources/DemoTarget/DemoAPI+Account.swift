import Foundation
import Hummingbird

/// Registration, login, the current user, settings and notifications.
extension DemoAPI {
    func register(_ request: Request) async throws -> Response {
        let body = try await RequestInput.jsonObject(request)
        let username = try RequestInput.string(body, "username")
        let email = try RequestInput.string(body, "email")
        let password = try RequestInput.string(body, "password")
        try RequestInput.requireLength(username, 3...32, "username")
        guard !username.contains(where: \.isWhitespace) else {
            throw APIError.validation(["body", "username"], "username must not contain whitespace")
        }
        guard Self.isPlausibleEmail(email) else {
            throw APIError.validation(["body", "email"], "value is not a valid email address")
        }
        try RequestInput.requireLength(password, 8...64, "password")
        guard let user = store.register(username: username, email: email, password: password) else {
            throw APIError(.conflict, "Username already registered")
        }
        return .json(user.json, status: .created)
    }

    /// One `@`, a non-empty local part, and a dot inside the domain.
    static func isPlausibleEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !email.contains(where: \.isWhitespace) else { return false }
        let domain = parts[1]
        guard let dot = domain.firstIndex(of: ".") else { return false }
        return dot != domain.startIndex && domain.last != "."
    }

    func login(_ request: Request) async throws -> Response {
        let data = try await RequestInput.bodyData(request)
        guard let pairs = RequestInput.formPairs(Substring(decoding: data, as: UTF8.self)) else {
            throw APIError.validation(["body"], "Malformed form body")
        }
        guard let username = pairs["username"], !username.isEmpty else {
            throw APIError.validation(["body", "username"], "Field required")
        }
        guard let password = pairs["password"], !password.isEmpty else {
            throw APIError.validation(["body", "password"], "Field required")
        }
        guard let tokens = store.login(username: username, password: password) else {
            throw APIError(.unauthorized, "Invalid username or password")
        }
        var response = Response.json([
            "message": "Login successful", "username": .string(username), "role": "user",
            "csrf_token": .string(tokens.csrfToken),
        ])
        response.setCookie(Cookie(name: "access_token", value: tokens.accessToken, path: "/", httpOnly: true, sameSite: .lax))
        response.setCookie(Cookie(name: "csrf_token", value: tokens.csrfToken, path: "/", httpOnly: false, sameSite: .lax))
        return response
    }

    func logout(_ request: Request) throws -> Response {
        let (session, _) = try authenticate(request)
        try requireCSRF(request, session: session)
        if let token = request.cookies["access_token"]?.value { store.logout(accessToken: token) }
        var response = Response.json(["message": "Logout successful"])
        response.setCookie(Cookie(name: "access_token", value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .lax))
        response.setCookie(Cookie(name: "csrf_token", value: "", maxAge: 0, path: "/", httpOnly: false, sameSite: .lax))
        return response
    }

    func me(_ request: Request) throws -> Response {
        let (_, user) = try authenticate(request)
        return .json(user.json)
    }

    /// Settings carry an ETag; `If-None-Match` with it (or `*`) is a 304, `If-Match` without it a 412.
    /// Malformed entity-tag lists are ignored, as RFC 9110 allows.
    func settings(_ request: Request) throws -> Response {
        let (_, user) = try authenticate(request)
        let body = user.settingsJSON
        let etag = "\"" + String(ExecutionSimulator.fnv1a(body.serialized), radix: 16) + "\""
        let ifMatch = request.headers[values: .ifMatch]
        let ifNoneMatch = request.headers[values: .ifNoneMatch]
        try defects.checkConditional(ifMatch + ifNoneMatch)
        let tags = { (values: [String]) in values.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } }
        if !ifMatch.isEmpty, !tags(ifMatch).contains(where: { $0 == "*" || $0 == etag }) {
            throw APIError(.preconditionFailed, "Precondition Failed")
        }
        if tags(ifNoneMatch).contains(where: { $0 == "*" || $0 == etag || $0 == "W/" + etag }) {
            return Response(status: .notModified, headers: [.eTag: etag])
        }
        var response = Response.json(body)
        response.headers[.eTag] = etag
        return response
    }

    func updateTheme(_ request: Request) async throws -> Response {
        let (session, _) = try authenticate(request)
        try requireCSRF(request, session: session)
        let body = try await RequestInput.jsonObject(request)
        try defects.checkTheme(body["theme"])
        let theme = try RequestInput.string(body, "theme")
        guard ["light", "dark", "auto"].contains(theme) else {
            throw APIError.validation(["body", "theme"], "Input should be 'light', 'dark' or 'auto'")
        }
        guard let user = store.setTheme(theme, userID: session.userID) else { throw APIError.unauthorized }
        return .json(user.settingsJSON)
    }

    func notifications(_ request: Request) throws -> Response {
        let (session, _) = try authenticate(request)
        let query = try RequestInput.query(request)
        let limit = try RequestInput.integer(query, "limit", default: 20)
        try defects.checkNotificationsLimit(limit)
        try RequestInput.require(limit, in: 1...1000, "limit")
        let offset = try RequestInput.integer(query, "offset", default: 0)
        try RequestInput.require(offset, in: 0...1_000_000, "offset")
        var unreadOnly = false
        if let text = query["unread_only"] {
            guard let flag = Bool(text.lowercased()) else {
                throw APIError.validation(["query", "unread_only"], "Input should be a valid boolean")
            }
            unreadOnly = flag
        }
        let page = store.notifications(userID: session.userID, limit: limit, offset: offset, unreadOnly: unreadOnly)
        if defects.offsetStatus(offset, total: page.total) {
            return .json(["detail": .string("Range Not Satisfiable")], status: .rangeNotSatisfiable)
        }
        return .json([
            "notifications": .array(page.page.map(\.json)), "total": JSONValue(page.total),
            "unread_count": JSONValue(page.unread),
        ])
    }

    func markAllRead(_ request: Request) throws -> Response {
        let (session, _) = try authenticate(request)
        try requireCSRF(request, session: session)
        store.markAllRead(userID: session.userID)
        return .noContent
    }
}
