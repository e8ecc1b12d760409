import Foundation
import StampedeCore
import StampedeEngine

/// One of the third-party servers the acceptance tests record and replay.
enum ThirdPartyServer: String, CaseIterable, Sendable, CustomStringConvertible {
    case kinto
    case jupyter

    var description: String { rawValue }

    /// The curl flow under Tests/ThirdPartyTests/Flows.
    var flowScript: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Flows/\(rawValue)-flow.sh").path
    }

    /// Polled until it answers (any HTTP status).
    var readinessPath: String {
        switch self {
        case .kinto: "/v1/"
        case .jupyter: "/api/status"
        }
    }

    /// Writes the server's configuration into `directory`; returns the command line and environment.
    func launch(port: Int, directory: String) throws -> (executable: String, arguments: [String], environment: [String: String]) {
        switch self {
        case .kinto:
            let ini = directory + "/kinto.ini"
            try KintoConfig.ini(port: port).write(toFile: ini, atomically: true, encoding: .utf8)
            return (ThirdPartyVenv.bin("kinto"), ["start", "--ini", ini], ThirdPartyVenv.environment())
        case .jupyter:
            let config = directory + "/config"
            let root = directory + "/root"
            for dir in [config, root, directory + "/data", directory + "/runtime"] {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            }
            try JupyterConfig.python(port: port, rootDirectory: root, password: JupyterConfig.password)
                .write(toFile: config + "/jupyter_server_config.py", atomically: true, encoding: .utf8)
            let env = ThirdPartyVenv.environment([
                "JUPYTER_CONFIG_DIR": config, "JUPYTER_DATA_DIR": directory + "/data",
                "JUPYTER_RUNTIME_DIR": directory + "/runtime", "JUPYTER_PLATFORM_DIRS": "1",
            ])
            return (ThirdPartyVenv.bin("jupyter-server"), [], env)
        }
    }

    /// What the flow script needs besides the base URL: the identity and names it chooses.
    var flowEnvironment: [String: String] {
        switch self {
        case .kinto: ["FLOW_USER": KintoConfig.user, "FLOW_PASSWORD": KintoConfig.password, "FLOW_BUCKET": KintoConfig.bucket]
        case .jupyter: ["FLOW_PASSWORD": JupyterConfig.password, "FLOW_DIR": JupyterConfig.directory, "FLOW_NAME": JupyterConfig.fileName]
        }
    }

    /// What `stampede record` (verification), `replay` and a reproducer need to log in. Kinto's account is
    /// signed up by the flow itself (per-client identity, nothing to set); Jupyter's password is the
    /// server's: `LOAD_USER_PASSWORD` for `{{vu.password}}`, and the same as a secret in case the recorder
    /// makes it one.
    var credentials: [String: String] {
        switch self {
        case .kinto: [:]
        case .jupyter: ["LOAD_USER_PASSWORD": JupyterConfig.password, "STAMPEDE_SECRET_PASSWORD": JupyterConfig.password]
        }
    }

    /// Values the recording must never store literally (passwords, Basic credentials).
    var secrets: [String] {
        switch self {
        case .kinto: [KintoConfig.password, Data("\(KintoConfig.user):\(KintoConfig.password)".utf8).base64EncodedString()]
        case .jupyter: [JupyterConfig.password]
        }
    }

    /// Problems with the recorded corpus: what #11 says correlation must infer for this flow.
    func corpusProblems(_ steps: [Step]) -> [String] {
        switch self {
        case .kinto: KintoConfig.corpusProblems(steps)
        case .jupyter: JupyterConfig.corpusProblems(steps)
        }
    }
}

extension ThirdPartyServer {
    /// Requests the flow script sends (one output line each).
    var flowRequestCount: Int {
        switch self {
        case .kinto: KintoConfig.flowRequests
        case .jupyter: JupyterConfig.flowRequests
        }
    }
}

extension ThirdPartyServer {
    /// Replay's whole-request timeout. Kinto hashes each sign-up's password with bcrypt (cost 12,
    /// not configurable) and checks it again on a client's first authenticated request: eight of
    /// those at once on a loaded 2-core machine took up to 10 s, which the default would count as
    /// timeouts. A hang is still caught.
    static let requestTimeout = "30"
}
