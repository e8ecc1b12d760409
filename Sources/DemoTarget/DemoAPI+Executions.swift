import Hummingbird

/// Submitting scripts, polling results, event history and the SSE stream.
extension DemoAPI {
    static let supportedVersions: Set<String> = ["3.9", "3.10", "3.11", "3.12"]

    func execute(_ request: Request) async throws -> Response {
        let (session, _) = try authenticate(request)
        try requireCSRF(request, session: session)
        let body = try await RequestInput.jsonObject(request)
        let script = try RequestInput.string(body, "script")
        try RequestInput.requireScriptSize(script)
        let lang = try RequestInput.optionalString(body, "lang") ?? "python"
        guard lang == "python" else {
            throw APIError.validation(["body", "lang"], "Unsupported language '\(lang)'")
        }
        let version = try RequestInput.optionalString(body, "lang_version") ?? "3.11"
        try defects.checkLangVersion(version)
        guard Self.supportedVersions.contains(version) else {
            throw APIError.validation(["body", "lang_version"], "Unsupported python version '\(version)'")
        }
        let execution = store.createExecution(owner: session.userID, lang: lang, langVersion: version)
        let simulator = self.simulator
        Task { await simulator.run(executionID: execution.id, script: script) }
        return .json(["execution_id": .string(execution.id), "status": .string(execution.status)])
    }

    func executionResult(_ request: Request, id: String) throws -> Response {
        let (session, _) = try authenticate(request)
        guard let execution = store.execution(id: id, owner: session.userID) else {
            throw APIError(.notFound, "Execution not found")
        }
        return .json(execution.json)
    }

    func executionEvents(_ request: Request, id: String) async throws -> Response {
        let (session, _) = try authenticate(request)
        let query = try RequestInput.query(request)
        let limit = try RequestInput.integer(query, "limit", default: 100)
        let offset = try RequestInput.integer(query, "offset", default: 0)
        guard let execution = store.execution(id: id, owner: session.userID) else {
            throw APIError(.notFound, "Execution not found")
        }
        await defects.checkEventsLimit(limit)
        try RequestInput.require(limit, in: 1...1000, "limit")
        try RequestInput.require(offset, in: 0...1_000_000, "offset")
        let page = execution.events.dropFirst(offset).prefix(limit)
        return .json([
            "execution_id": .string(execution.id), "events": .array(page.map(\.json)),
            "total": JSONValue(execution.events.count),
        ])
    }

    /// `text/event-stream`: a `status` event with the current state, every later event as it happens,
    /// `: keepalive` comments each second, and the end of the stream after the terminal event.
    func executionStream(_ request: Request, id: String) throws -> Response {
        let (session, _) = try authenticate(request)
        let (stream, continuation) = AsyncStream<Execution.StreamItem>.makeStream(bufferingPolicy: .bufferingNewest(64))
        guard let (execution, subscriberID) = store.subscribe(executionID: id, owner: session.userID, continuation: continuation) else {
            throw APIError(.notFound, "Execution not found")
        }
        let store = self.store
        continuation.onTermination = { _ in
            store.unsubscribe(executionID: id, subscriberID: subscriberID)
        }
        if execution.isTerminal { continuation.finish() }
        let stop = self.stop
        let status: JSONValue = [
            "event_type": "status", "execution_id": .string(execution.id), "timestamp": .string(DemoStore.now()),
            "event_id": .string(execution.events.last?.eventID ?? "evt-0"), "status": .string(execution.status),
            "result": execution.resultJSON,
        ]
        let body = ResponseBody { writer in
            let keepalive = Task {
                while await stop.sleep(for: .seconds(1)) {
                    continuation.yield(.keepalive)
                }
                // Stopping: end the stream so the response completes and shutdown is not held up.
                continuation.finish()
            }
            defer { keepalive.cancel() }
            try await writer.write(ByteBuffer(string: Self.frame(event: "status", id: nil, data: status)))
            streaming: for await item in stream {
                switch item {
                case .keepalive:
                    try await writer.write(ByteBuffer(string: ": keepalive\n\n"))
                case .event(let event):
                    try await writer.write(ByteBuffer(string: Self.frame(event: event.eventType, id: event.eventID, data: event.json)))
                    if event.isTerminal { break streaming }
                }
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache", .connection: "keep-alive"],
            body: body
        )
    }

    static func frame(event: String, id: String?, data: JSONValue) -> String {
        var frame = "event: \(event)\n"
        if let id { frame += "id: \(id)\n" }
        frame += "data: \(data.serialized)\n\n"
        return frame
    }
}
