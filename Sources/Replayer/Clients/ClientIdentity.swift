/// A virtual client's identity: `{prefix}_{index}_{runid}`, `{username}@{domain}`, the password.
public struct ClientIdentity: Sendable, Equatable {
    public var index: Int
    public var username: String
    public var email: String
    public var password: String

    public init(index: Int, prefix: String, runID: String, domain: String, password: String) {
        self.index = index
        username = "\(prefix)_\(index)_\(runID)"
        email = username + "@" + domain
        self.password = password
    }
}
