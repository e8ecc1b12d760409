/// What a reproducer script needs to know about the run besides the crash record.
public struct ReproducerSettings: Sendable, Hashable {
    /// The target's URL when neither `$1` nor `STAMPEDE_BASE_URL` gives one.
    public var baseURL: String
    /// Replaces a leading `/api/v1` of recorded paths (`--api-prefix`).
    public var apiPrefix: String
    /// Whether TLS certificates are verified (`-k` when not).
    public var verifyTLS: Bool
    /// `vu.username` is `{userPrefix}_0_{random}`; `vu.email` adds `@{userDomain}`.
    public var userPrefix: String
    /// The domain of `vu.email`.
    public var userDomain: String
    /// The password written as the default of `LOAD_USER_PASSWORD`; nil when the run used a
    /// password of its own (the script then requires the variable: no live password on disk).
    public var defaultPassword: String?
    /// The double-submit CSRF pair the replayer adds to writes.
    public var csrfHeader: String
    /// The cookie that carries the CSRF token.
    public var csrfCookie: String
    /// Whole-request timeout of the failing request (`--max-time`), seconds.
    public var timeoutSeconds: Double

    /// Settings from a run's configuration.
    public init(
        load: LoadConfig, csrfHeader: String = "X-CSRF-Token", csrfCookie: String = "csrf_token", timeoutSeconds: Double = 10
    ) {
        baseURL = load.baseURL
        apiPrefix = load.apiPrefix
        verifyTLS = load.verifyTLS
        userPrefix = load.userPrefix
        userDomain = load.userDomain
        let builtin = LoadSetting.userPassword.defaultValue
        defaultPassword = load.userPassword == builtin ? builtin : nil
        self.csrfHeader = csrfHeader
        self.csrfCookie = csrfCookie
        self.timeoutSeconds = timeoutSeconds
    }

    /// Settings for a base URL with every other value at its default; TLS is verified (the library's
    /// default; the CLI passes the run's own settings, where `LOAD_VERIFY_TLS` defaults to false).
    public init(baseURL: String) {
        self.baseURL = baseURL
        apiPrefix = LoadSetting.apiPrefix.defaultValue
        verifyTLS = true
        userPrefix = LoadSetting.userPrefix.defaultValue
        userDomain = LoadSetting.userDomain.defaultValue
        defaultPassword = LoadSetting.userPassword.defaultValue
        csrfHeader = "X-CSRF-Token"
        csrfCookie = "csrf_token"
        timeoutSeconds = 10
    }

    /// A recorded path with its `/api/v1` prefix replaced (a whole-segment match).
    func rewrite(path: String) -> String {
        APIPrefix.rewrite(path, to: apiPrefix)
    }
}
