/// Who a virtual client is: the values behind `vu.*` and `run.id`.
///
/// The defaults are the original suite's (`LOAD_USER_PREFIX`, `LOAD_USER_DOMAIN`,
/// `LOAD_USER_PASSWORD`), so a username is `loaduser_3_k2x9f` and each client registers its own
/// user. Username and email are built once, since every rendered request may read them.
public struct ClientIdentity: Sendable, Hashable {
    public let index: Int
    public let runID: String
    /// `{prefix}_{index}_{runid}`.
    public let username: String
    /// `{username}@{domain}`.
    public let email: String
    public let password: String

    public init(
        index: Int, runID: String, prefix: String = "loaduser", domain: String = "example.com",
        password: String = "testpass123!"
    ) {
        self.index = index
        self.runID = runID
        self.username = "\(prefix)_\(index)_\(runID)"
        self.email = username + "@" + domain
        self.password = password
    }

    /// A short random run id (8 lowercase base-36 characters), for runs that are not seeded.
    public static func randomRunID() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<8).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }
}
