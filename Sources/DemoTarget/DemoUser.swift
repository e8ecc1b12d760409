/// A registered account with its settings and its (bounded) notification inbox.
struct DemoUser: Sendable {
    /// An inbox entry, created when one of the user's executions finishes.
    struct Notification: Sendable {
        let id: String
        let title: String
        let message: String
        let severity: String
        var read: Bool
        let createdAt: String
        let executionID: String

        var json: JSONValue {
            [
                "id": .string(id), "title": .string(title), "message": .string(message),
                "severity": .string(severity), "read": .bool(read), "created_at": .string(createdAt),
                "execution_id": .string(executionID), "tags": ["execution"],
            ]
        }
    }

    static let inboxLimit = 50

    let id: String
    let username: String
    let email: String
    let password: String
    let createdAt: String
    var theme = "auto"
    /// Newest last; capped at `inboxLimit`.
    var notifications: [Notification] = []

    var json: JSONValue {
        [
            "id": .string(id), "username": .string(username), "email": .string(email),
            "role": "user", "is_active": true, "created_at": .string(createdAt),
        ]
    }

    var settingsJSON: JSONValue {
        [
            "theme": .string(theme), "timezone": "UTC", "date_format": "YYYY-MM-DD", "time_format": "24h",
            "notifications": ["execution_completed": true, "execution_failed": true, "system_updates": false],
            "editor": ["font_size": 14, "tab_size": 4, "show_line_numbers": true, "word_wrap": true],
        ]
    }
}
