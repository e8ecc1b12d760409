import StampedeCore
import StampedeHTTP

/// Jupyter Server (password form login with `_xsrf`, contents API): configuration and what its
/// recording must hold.
enum JupyterConfig {
    /// The server's password (not created by the flow: replay gets it from `LOAD_USER_PASSWORD`).
    static let password = "jupyter-tests-pw-7Q"
    /// The directory the flow creates and works in, and the name it renames its file to.
    static let directory = "desk"
    static let fileName = "report.txt"
    /// Requests the flow script sends.
    static let flowRequests = 12

    static func python(port: Int, rootDirectory: String, password: String) -> String {
        """
        from jupyter_server.auth import passwd
        c.ServerApp.ip = "127.0.0.1"
        c.ServerApp.port = \(port)
        c.ServerApp.port_retries = 0
        c.ServerApp.open_browser = False
        c.ServerApp.allow_root = True
        c.ServerApp.root_dir = "\(rootDirectory)"
        c.ServerApp.log_level = "WARN"
        c.IdentityProvider.token = ""
        c.PasswordIdentityProvider.hashed_password = passwd("\(password)")
        c.FileContentsManager.delete_to_trash = False

        """
    }

    /// #11 for this flow: a step before the login (`GET /` or `GET /login`) marks `_xsrf` in `sets_cookies`, the login form and the API
    /// calls echo `{{cookie._xsrf}}`, the server-chosen `untitled….txt` is a variable, the client-chosen
    /// `desk` becomes `desk-{{vu.tag}}` (so the rename to `report.txt` happens in the client's own directory).
    static func corpusProblems(_ steps: [Step]) -> [String] {
        var problems = RecordedSteps.commonProblems(
            steps, expectedCount: flowRequests, secrets: ThirdPartyServer.jupyter.secrets)
        problems += RecordedSteps.sharedName(directory, in: steps)
        problems += RecordedSteps.literals(/untitled[0-9]*\.txt/, in: steps, what: "server-chosen file name")
        let login = steps.firstIndex { $0.request.method == "POST" && $0.request.path == "/login" } ?? steps.count
        if !steps.prefix(login).contains(where: { $0.setsCookies.contains("_xsrf") }) {
            problems.append("#11.2 no step before the login lists _xsrf in sets_cookies (the login cannot be ordered after it)")
        }
        problems += RecordedSteps.check(steps, "the login form's _xsrf is not {{cookie._xsrf}}") { step in
            step.request.method == "POST" && step.request.path == "/login"
                && step.request.body?.text?.contains("_xsrf={{cookie._xsrf}}") != true ? step.request.body?.text ?? "no body" : nil
        }
        problems += RecordedSteps.check(steps, "X-XSRFToken is not {{cookie._xsrf}}") { step in
            let token = step.request.headers.value(named: "X-XSRFToken")
            return step.request.path.hasPrefix("/api/") && token != "{{cookie._xsrf}}" ? token ?? "missing" : nil
        }
        return problems
    }
}
