import StampedeCore
import StampedeHTTP

/// Kinto (accounts plugin, HTTP Basic, memory backend): its configuration and what its recording must hold.
enum KintoConfig {
    /// The account the recorded flow signs up, its password, and the bucket name it chooses.
    static let user = "quokka"
    static let password = "correct-horse-battery-staple"
    static let bucket = "shelf"
    /// Requests the flow script sends.
    static let flowRequests = 12

    static func ini(port: Int) -> String {
        """
        [app:main]
        use = egg:kinto
        kinto.storage_backend = kinto.core.storage.memory
        kinto.storage_url =
        kinto.cache_backend = kinto.core.cache.memory
        kinto.cache_url =
        kinto.permission_backend = kinto.core.permission.memory
        kinto.permission_url =
        kinto.includes = kinto.plugins.accounts
        multiauth.policies = account
        multiauth.policy.account.use = kinto.plugins.accounts.AccountsPolicy
        kinto.account_create_principals = system.Everyone
        kinto.bucket_create_principals = system.Authenticated
        kinto.userid_hmac_secret = stampede-third-party-tests

        [server:main]
        use = egg:waitress#main
        host = 127.0.0.1
        port = \(port)
        threads = 8

        [loggers]
        keys = root

        [handlers]
        keys = console

        [formatters]
        keys = generic

        [logger_root]
        level = WARNING
        handlers = console

        [handler_console]
        class = StreamHandler
        args = (sys.stderr,)
        level = NOTSET
        formatter = generic

        [formatter_generic]
        format = %(levelname)-5.5s %(message)s

        """
    }

    /// #11 for this flow: `/v1/` stays constant, the sign-up's name becomes `{{vu.username}}` and its
    /// Basic credential `{{vu.basic}}`, the bucket `shelf-{{vu.tag}}`, the record ID a variable in the
    /// path, the query and the batch body, the ETag a variable in `If-Match`.
    static func corpusProblems(_ steps: [Step]) -> [String] {
        var problems = RecordedSteps.commonProblems(
            steps, expectedCount: flowRequests, secrets: ThirdPartyServer.kinto.secrets)
        problems += RecordedSteps.sharedName(bucket, in: steps)
        problems += RecordedSteps.literals(
            /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, in: steps, what: "record ID")
        problems += RecordedSteps.check(steps, "the signed-up account name '\(user)' is sent literally, not {{vu.username}}") { step in
            RecordedSteps.text(step).contains(user) ? "\(step.request.method) \(step.request.path)" : nil
        }
        problems += RecordedSteps.check(steps, "Authorization is not the identity the flow created (Basic {{vu.basic}})") { step in
            step.request.headers.value(named: "Authorization").flatMap { $0 == "Basic {{vu.basic}}" ? nil : $0 }
        }
        problems += RecordedSteps.check(steps, "If-Match is not correlated with the ETag") { step in
            step.request.headers.value(named: "If-Match").flatMap { $0.contains("{{") ? nil : $0 }
        }
        return problems
    }
}
