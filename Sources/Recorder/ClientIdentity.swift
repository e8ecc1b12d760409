/// Who a replaying client is: the values behind `vu.*` and `run.id`.
///
/// The defaults are the original suite's (`LOAD_USER_PREFIX`, `LOAD_USER_DOMAIN`,
/// `LOAD_USER_PASSWORD`), so a username is `loaduser_3_k2x9f` and each client registers its own user.
public struct ClientIdentity: Sendable, Hashable {
    public var index: Int
    public var runID: String
    public var prefix: String
    public var domain: String
    public var password: String

    public init(index: Int, runID: String, prefix: String = "loaduser", domain: String = "example.com", password: String = "testpass123!") {
        self.index = index
        self.runID = runID
        self.prefix = prefix
        self.domain = domain
        self.password = password
    }

    /// `{prefix}_{index}_{runid}`.
    public var username: String { "\(prefix)_\(index)_\(runID)" }
    /// `{username}@{domain}`.
    public var email: String { "\(username)@\(domain)" }

    /// A short random run id (8 lowercase base-36 characters), for runs that are not seeded.
    public static func randomRunID() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<8).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }
}
