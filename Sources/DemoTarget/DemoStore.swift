import Foundation
import Synchronization

/// All of the demo backend's state, in memory, behind one lock, with every collection bounded.
final class DemoStore: Sendable {
    struct Session: Sendable {
        let userID: String
        let csrfToken: String
    }

    /// Limits that keep memory flat under hours of load; the oldest entries go first.
    struct Limits: Sendable {
        var users = 5_000
        var sessions = 10_000
        var executions = 5_000
        var scripts = 5_000
        var scriptBytes = 32 << 20
    }

    private struct State {
        var users: EvictingMap<String, DemoUser>
        var userIDsByName: [String: String] = [:]
        var sessions: EvictingMap<String, Session>
        var scripts: EvictingMap<String, SavedScript>
        /// Each owner's script IDs, oldest first: listing one owner's scripts must not walk (and copy)
        /// every script of every owner, which made the server slower as its store filled.
        var scriptIDsByOwner: [String: [String]] = [:]
        var executions: EvictingMap<String, Execution>
        var nextSubscriberID: UInt64 = 0
        var nextEventNumber: UInt64 = 0
    }

    private let state: Mutex<State>

    init(limits: Limits = .init()) {
        state = Mutex(
            State(
                users: EvictingMap(capacity: limits.users),
                sessions: EvictingMap(capacity: limits.sessions),
                scripts: EvictingMap(capacity: limits.scripts, costLimit: limits.scriptBytes) { $0.script.utf8.count },
                executions: EvictingMap(capacity: limits.executions)
            )
        )
    }

    // MARK: Users and sessions

    /// Creates an account; `nil` when the username is taken.
    func register(username: String, email: String, password: String) -> DemoUser? {
        let user = DemoUser(
            id: Self.newID(), username: username, email: email, password: password, createdAt: Self.now()
        )
        return state.withLock { state -> DemoUser? in
            guard state.userIDsByName[username] == nil else { return nil }
            state.userIDsByName[username] = user.id
            for evicted in state.users.set(user, for: user.id) {
                state.userIDsByName.removeValue(forKey: evicted.value.username)
            }
            return user
        }
    }

    /// Checks the password and opens a session; returns `(accessToken, csrfToken)`.
    func login(username: String, password: String) -> (accessToken: String, csrfToken: String)? {
        let accessToken = Self.randomToken()
        let csrfToken = Self.randomToken()
        return state.withLock { state -> (String, String)? in
            guard let id = state.userIDsByName[username], let user = state.users[id], user.password == password else {
                return nil
            }
            state.sessions.set(Session(userID: id, csrfToken: csrfToken), for: accessToken)
            return (accessToken, csrfToken)
        }
    }

    /// The session and user behind an access token, if both still exist.
    func authenticate(accessToken: String) -> (session: Session, user: DemoUser)? {
        state.withLock { state -> (Session, DemoUser)? in
            guard let session = state.sessions[accessToken], let user = state.users[session.userID] else { return nil }
            return (session, user)
        }
    }

    func logout(accessToken: String) {
        state.withLock { _ = $0.sessions.remove(accessToken) }
    }

    func setTheme(_ theme: String, userID: String) -> DemoUser? {
        state.withLock { state -> DemoUser? in
            guard var user = state.users[userID] else { return nil }
            user.theme = theme
            state.users.set(user, for: userID)
            return user
        }
    }

    // MARK: Notifications

    func notifications(userID: String, limit: Int, offset: Int, unreadOnly: Bool) -> (page: [DemoUser.Notification], total: Int, unread: Int) {
        state.withLock { state in
            let all = state.users[userID]?.notifications ?? []
            let newestFirst = all.reversed().filter { !unreadOnly || !$0.read }
            let page = Array(newestFirst.dropFirst(offset).prefix(limit))
            return (page, newestFirst.count, all.count(where: { !$0.read }))
        }
    }

    func markAllRead(userID: String) {
        state.withLock { state in
            guard var user = state.users[userID] else { return }
            for index in user.notifications.indices { user.notifications[index].read = true }
            state.users.set(user, for: userID)
        }
    }

    // MARK: Saved scripts

    func createScript(owner: String, name: String, script: String, description: String?, lang: String, langVersion: String) -> SavedScript {
        let now = Self.now()
        let saved = SavedScript(
            id: Self.newID(), owner: owner, name: name, script: script, description: description,
            lang: lang, langVersion: langVersion, createdAt: now, updatedAt: now
        )
        state.withLock { state in
            for evicted in state.scripts.set(saved, for: saved.id) {
                Self.unindex(scriptID: evicted.key, owner: evicted.value.owner, in: &state)
            }
            state.scriptIDsByOwner[owner, default: []].append(saved.id)
        }
        return saved
    }

    func scripts(owner: String, limit: Int, offset: Int) -> [SavedScript] {
        state.withLock { state in
            var page: [SavedScript] = []
            var skipped = 0
            for id in state.scriptIDsByOwner[owner] ?? [] where page.count < limit {
                guard let saved = state.scripts[id] else { continue }
                if skipped < offset { skipped += 1 } else { page.append(saved) }
            }
            return page
        }
    }

    private static func unindex(scriptID: String, owner: String, in state: inout State) {
        guard var ids = state.scriptIDsByOwner.removeValue(forKey: owner) else { return }
        if let index = ids.firstIndex(of: scriptID) { ids.remove(at: index) }
        if !ids.isEmpty { state.scriptIDsByOwner[owner] = ids }
    }

    func script(id: String, owner: String) -> SavedScript? {
        state.withLock { state in
            state.scripts[id].flatMap { $0.owner == owner ? $0 : nil }
        }
    }

    func updateScript(id: String, owner: String, _ update: (inout SavedScript) -> Void) -> SavedScript? {
        state.withLock { state -> SavedScript? in
            guard var saved = state.scripts[id], saved.owner == owner else { return nil }
            update(&saved)
            saved.updatedAt = Self.now()
            for evicted in state.scripts.set(saved, for: id) {
                Self.unindex(scriptID: evicted.key, owner: evicted.value.owner, in: &state)
            }
            return saved
        }
    }

    func deleteScript(id: String, owner: String) -> Bool {
        state.withLock { state -> Bool in
            guard let saved = state.scripts[id], saved.owner == owner else { return false }
            state.scripts.remove(id)
            Self.unindex(scriptID: id, owner: owner, in: &state)
            return true
        }
    }

    // MARK: Executions

    /// Records a new queued execution (with its `queued` event) and returns it.
    func createExecution(owner: String, lang: String, langVersion: String) -> Execution {
        var execution = Execution(id: Self.newID(), owner: owner, lang: lang, langVersion: langVersion, createdAt: Self.now())
        let finished = state.withLock { state -> [AsyncStream<Execution.StreamItem>.Continuation] in
            execution.events.append(Self.makeEvent(for: execution, type: "execution_queued", state: &state))
            return state.executions.set(execution, for: execution.id).flatMap { $0.value.subscribers.values }
        }
        for subscriber in finished { subscriber.finish() }
        return execution
    }

    func execution(id: String, owner: String) -> Execution? {
        state.withLock { state in
            state.executions[id].flatMap { $0.owner == owner ? $0 : nil }
        }
    }

    /// Moves an execution to `status`, appends the event and delivers it to live subscribers.
    func transition(executionID: String, to status: String, eventType: String, apply: (inout Execution) -> Void = { _ in }) {
        let delivery = state.withLock { state -> (Execution.Event, [AsyncStream<Execution.StreamItem>.Continuation], DemoUser.Notification?)? in
            guard var execution = state.executions[executionID] else { return nil }
            execution.status = status
            apply(&execution)
            let event = Self.makeEvent(for: execution, type: eventType, state: &state)
            execution.events.append(event)
            let subscribers = Array(execution.subscribers.values)
            var notification: DemoUser.Notification?
            if execution.isTerminal {
                execution.subscribers.removeAll()
                notification = Self.notify(execution, state: &state)
            }
            state.executions.set(execution, for: executionID)
            return (event, subscribers, notification)
        }
        guard let (event, subscribers, _) = delivery else { return }
        for subscriber in subscribers {
            subscriber.yield(.event(event))
            if event.isTerminal { subscriber.finish() }
        }
    }

    /// Registers an SSE subscriber; returns the execution as it is now, or `nil` if it does not exist for `owner`.
    ///
    /// Events recorded after this call are yielded to `continuation`; it is finished after the terminal event.
    func subscribe(executionID: String, owner: String, continuation: AsyncStream<Execution.StreamItem>.Continuation) -> (execution: Execution, subscriberID: UInt64)? {
        state.withLock { state -> (Execution, UInt64)? in
            guard var execution = state.executions[executionID], execution.owner == owner else { return nil }
            state.nextSubscriberID += 1
            let id = state.nextSubscriberID
            if !execution.isTerminal {
                execution.subscribers[id] = continuation
                state.executions.set(execution, for: executionID)
            }
            return (execution, id)
        }
    }

    func unsubscribe(executionID: String, subscriberID: UInt64) {
        state.withLock { state in
            guard var execution = state.executions[executionID], execution.subscribers[subscriberID] != nil else { return }
            execution.subscribers.removeValue(forKey: subscriberID)
            state.executions.set(execution, for: executionID)
        }
    }

    /// Ends every live SSE stream (server shutdown).
    func finishAllSubscribers() {
        let all = state.withLock { state -> [AsyncStream<Execution.StreamItem>.Continuation] in
            var all: [AsyncStream<Execution.StreamItem>.Continuation] = []
            for execution in state.executions.values where !execution.subscribers.isEmpty {
                all.append(contentsOf: execution.subscribers.values)
                var copy = execution
                copy.subscribers.removeAll()
                state.executions.set(copy, for: copy.id)
            }
            return all
        }
        for continuation in all { continuation.finish() }
    }

    /// Sizes of the bounded collections, for tests and the memory notes.
    var counts: (users: Int, sessions: Int, scripts: Int, executions: Int) {
        state.withLock { ($0.users.count, $0.sessions.count, $0.scripts.count, $0.executions.count) }
    }

    // MARK: Helpers

    private static func makeEvent(for execution: Execution, type: String, state: inout State) -> Execution.Event {
        state.nextEventNumber += 1
        return Execution.Event(
            eventID: "evt-\(state.nextEventNumber)", executionID: execution.id, eventType: type,
            status: execution.status, timestamp: now(), result: execution.resultJSON
        )
    }

    private static func notify(_ execution: Execution, state: inout State) -> DemoUser.Notification? {
        guard var user = state.users[execution.owner] else { return nil }
        let succeeded = execution.status == "completed"
        let notification = DemoUser.Notification(
            id: newID(),
            title: succeeded ? "Execution completed" : "Execution failed",
            message: "Execution \(execution.id) finished with status \(execution.status)",
            severity: succeeded ? "low" : "medium", read: false, createdAt: now(), executionID: execution.id
        )
        user.notifications.append(notification)
        if user.notifications.count > DemoUser.inboxLimit {
            user.notifications.removeFirst(user.notifications.count - DemoUser.inboxLimit)
        }
        state.users.set(user, for: user.id)
        return notification
    }

    static func newID() -> String {
        UUID().uuidString.lowercased()
    }

    static func now() -> String {
        Date.now.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// 32 random bytes as hex, from the system CSPRNG.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let word = generator.next() as UInt64
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}
