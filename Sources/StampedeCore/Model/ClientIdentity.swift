/// Who a virtual client is: the values behind `vu.*` and `run.id`.
///
/// The defaults are the original suite's (`LOAD_USER_PREFIX`, `LOAD_USER_DOMAIN`,
/// `LOAD_USER_PASSWORD`), so a username is `loaduser_3_k2x9f` and each client registers its own
/// user. Username and email are built once, since every rendered request may read them.
public struct ClientIdentity: Sendable, Hashable {
    /// The client's index in the run.
    public let index: Int
    /// The run's short id.
    public let runID: String
    /// `{prefix}_{index}_{runid}`.
    public let username: String
    /// `{username}@{domain}`.
    public let email: String
    /// `LOAD_USER_PASSWORD` (the same for every client).
    public let password: String
    /// Short, unique per client and run, lowercase `[a-z0-9]` only: the run id's letters and digits
    /// followed by the client index (`k2x9f3ab3`). Safe in paths, JSON, file names and DNS labels;
    /// names a recorded flow chose itself become `alpha-{{vu.tag}}` so clients never share them.
    public let tag: String

    /// The identity of client `index` in run `runID`.
    public init(
        index: Int, runID: String, prefix: String = "loaduser", domain: String = "example.com",
        password: String = "testpass123!"
    ) {
        self.index = index
        self.runID = runID
        self.username = "\(prefix)_\(index)_\(runID)"
        self.email = username + "@" + domain
        self.password = password
        self.tag = Self.tag(runID: runID, index: index)
    }

    /// HTTP Basic credentials of this client: base64 of `username:password`.
    public var basicCredentials: String {
        Base64.encode(Array((username + ":" + password).utf8))
    }

    /// `runID` reduced to lowercase ASCII letters and digits, then the index in decimal: within one
    /// run the common prefix makes distinct indexes distinct tags.
    static func tag(runID: String, index: Int) -> String {
        let run = String(runID.lowercased().unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) }.map(Character.init))
        return run + String(index.magnitude)
    }

    /// A short random run id (8 lowercase base-36 characters), for runs that are not seeded.
    public static func randomRunID() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<8).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }
}
