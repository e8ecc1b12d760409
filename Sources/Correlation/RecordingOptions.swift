/// How the recorder groups, templates and redacts what it sees.
public struct RecordingOptions: Sendable, Hashable {
    /// The target's session cookie: requests carrying the same value belong to one session.
    public var sessionCookie: String
    /// A session with no exchange for this long is finished and written.
    public var idleGap: Duration
    /// Keep `Authorization` values, passwords and tokens in clear (they are still templated
    /// when correlation finds where they come from).
    public var keepSecrets: Bool
    /// Which field and header names are credentials (built-in list, `--redact`, `--keep`).
    public var secretFields: SecretFields
    /// Bytes of each response body kept for correlation; everything is still forwarded.
    public var bodyPrefixLimit: Int
    /// The double-submit CSRF pair: the cookie and the header that echoes it.
    public var csrfCookie: String
    /// The header of the double-submit pair.
    public var csrfHeader: String
    /// Values of a polled JSON `status` field that end polling.
    public var terminalStatuses: Set<String>
    /// Identify clients without a session cookie by their address only (not address and port).
    ///
    /// By default an anonymous client is its connection; tools that open a new connection per
    /// request (`curl` in a shell script) would then split a register from the login after it.
    /// With this set, anonymous requests from one host form one session until a login binds it.
    public var groupAnonymousByHost: Bool

    /// Options with the demo target's defaults.
    public init(
        sessionCookie: String = "access_token",
        idleGap: Duration = .seconds(30),
        keepSecrets: Bool = false,
        secretFields: SecretFields = .init(),
        bodyPrefixLimit: Int = 256 * 1024,
        csrfCookie: String = "csrf_token",
        csrfHeader: String = "X-CSRF-Token",
        terminalStatuses: Set<String> = ["completed", "failed", "timeout", "cancelled", "canceled", "error", "succeeded", "success", "done", "finished"],
        groupAnonymousByHost: Bool = false
    ) {
        self.sessionCookie = sessionCookie
        self.idleGap = idleGap
        self.keepSecrets = keepSecrets
        self.secretFields = secretFields
        self.bodyPrefixLimit = bodyPrefixLimit
        self.csrfCookie = csrfCookie
        self.csrfHeader = csrfHeader
        self.terminalStatuses = terminalStatuses
        self.groupAnonymousByHost = groupAnonymousByHost
    }
}
