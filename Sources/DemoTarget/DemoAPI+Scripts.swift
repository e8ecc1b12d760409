import Hummingbird

/// Saved scripts CRUD.
extension DemoAPI {
    func listScripts(_ request: Request) throws -> Response {
        let (session, _) = try authenticate(request)
        let query = try RequestInput.query(request)
        let limit = try RequestInput.integer(query, "limit", default: 100)
        try RequestInput.require(limit, in: 1...1000, "limit")
        let offset = try RequestInput.integer(query, "offset", default: 0)
        try RequestInput.require(offset, in: 0...1_000_000, "offset")
        return .json(.array(store.scripts(owner: session.userID, limit: limit, offset: offset).map(\.json)))
    }

    func createScript(_ request: Request, context: Context) async throws -> Response {
        let (session, _) = try authenticate(request)
        try requireCSRF(request, session: session)
        try await defects.checkScriptContentType(request, channel: context.channel)
        let body = try await RequestInput.jsonObject(request)
        let name = try RequestInput.string(body, "name")
        try RequestInput.requireLength(name, 1...128, "name")
        let script = try RequestInput.string(body, "script")
        try RequestInput.requireScriptSize(script)
        let description = try RequestInput.optionalString(body, "description")
        try description.map { try RequestInput.requireLength($0, 0...1024, "description") }
        let lang = try RequestInput.optionalString(body, "lang") ?? "python"
        let version = try RequestInput.optionalString(body, "lang_version") ?? "3.11"
        try RequestInput.requireLength(lang, 1...32, "lang")
        try RequestInput.requireLength(version, 1...16, "lang_version")
        let saved = store.createScript(
            owner: session.userID, name: name, script: script, description: description, lang: lang, langVersion: version
        )
        return .json(saved.json, status: .created)
    }

    /// GET / PUT / DELETE `/scripts/{id}`.
    func scriptItem(_ request: Request, method: HTTPRequest.Method, id: String) async throws -> Response {
        let (session, _) = try authenticate(request)
        if method != .get { try requireCSRF(request, session: session) }
        try defects.checkScriptID(id)
        let notFound = APIError(.notFound, "Script not found")
        if method == .delete { try defects.checkDeleteContentType(request.headers[.contentType]) }
        switch method {
        case .get:
            guard let saved = store.script(id: id, owner: session.userID) else { throw notFound }
            return .json(defects.scriptJSON(saved))
        case .put:
            let body = try await RequestInput.jsonObject(request, maximumDepth: { try defects.checkDepth($0) })
            guard store.script(id: id, owner: session.userID) != nil else { throw notFound }
            let name = try RequestInput.optionalString(body, "name")
            try name.map { try RequestInput.requireLength($0, 1...128, "name") }
            let script = try RequestInput.optionalString(body, "script")
            try script.map { try RequestInput.requireScriptSize($0) }
            let description = try RequestInput.optionalString(body, "description")
            try description.map { try RequestInput.requireLength($0, defects.updateDescriptionLimit(), "description") }
            guard
                let saved = store.updateScript(id: id, owner: session.userID, { saved in
                    if let name { saved.name = name }
                    if let script { saved.script = script }
                    if let description { saved.description = description }
                })
            else { throw notFound }
            return .json(saved.json)
        default:
            guard store.deleteScript(id: id, owner: session.userID) else { throw notFound }
            return .noContent
        }
    }
}
