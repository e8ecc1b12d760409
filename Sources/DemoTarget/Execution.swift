/// One submitted script run and its event history.
struct Execution: Sendable {
    /// One status change, as stored in the history and sent over SSE.
    struct Event: Sendable {
        let eventID: String
        let executionID: String
        let eventType: String
        let status: String
        let timestamp: String
        let result: JSONValue

        var isTerminal: Bool { Execution.terminalStatuses.contains(status) }

        var json: JSONValue {
            [
                "event_id": .string(eventID), "event_type": .string(eventType), "execution_id": .string(executionID),
                "status": .string(status), "timestamp": .string(timestamp), "result": result,
            ]
        }
    }

    /// What an SSE subscriber receives.
    enum StreamItem: Sendable {
        case event(Event)
        case keepalive
    }

    static let terminalStatuses: Set<String> = ["completed", "failed", "timeout", "cancelled", "error"]

    let id: String
    let owner: String
    let lang: String
    let langVersion: String
    let createdAt: String
    var status = "queued"
    var output = ""
    var errors: String?
    var exitCode: Int?
    var finishedAt: String?
    var events: [Event] = []
    var subscribers: [UInt64: AsyncStream<StreamItem>.Continuation] = [:]

    var isTerminal: Bool { Self.terminalStatuses.contains(status) }

    /// The `result` object: filled in once the run is over, `null` before.
    var resultJSON: JSONValue {
        guard isTerminal else { return .null }
        return [
            "status": .string(status), "output": .string(output), "errors": JSONValue(errors),
            "exit_code": exitCode.map { JSONValue($0) } ?? .null,
        ]
    }

    var json: JSONValue {
        [
            "execution_id": .string(id), "status": .string(status), "output": .string(output),
            "errors": JSONValue(errors), "exit_code": exitCode.map { JSONValue($0) } ?? .null,
            "lang": .string(lang), "lang_version": .string(langVersion),
            "created_at": .string(createdAt), "finished_at": JSONValue(finishedAt),
        ]
    }
}
