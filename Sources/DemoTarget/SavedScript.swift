/// A user's saved script (`/scripts`).
struct SavedScript: Sendable {
    let id: String
    let owner: String
    var name: String
    var script: String
    var description: String?
    var lang: String
    var langVersion: String
    let createdAt: String
    var updatedAt: String

    var json: JSONValue {
        [
            "id": .string(id), "name": .string(name), "script": .string(script),
            "description": JSONValue(description), "lang": .string(lang), "lang_version": .string(langVersion),
            "created_at": .string(createdAt), "updated_at": .string(updatedAt),
        ]
    }
}
