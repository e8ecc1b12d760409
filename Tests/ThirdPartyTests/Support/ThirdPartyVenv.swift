import Foundation
import StampedeTestSupport

/// The virtualenv `scripts/install-test-servers.sh` fills with the pinned third-party servers.
enum ThirdPartyVenv {
    /// `STAMPEDE_THIRDPARTY_VENV`, else `.build/thirdparty-venv` in the repository.
    static let root: String =
        ProcessInfo.processInfo.environment["STAMPEDE_THIRDPARTY_VENV"]
        ?? StampedeBinary.repositoryRoot.appendingPathComponent(".build/thirdparty-venv").path

    static func bin(_ name: String) -> String { root + "/bin/" + name }

    /// Both servers' entry points are there.
    static var isInstalled: Bool {
        ["kinto", "jupyter-server", "python3"].allSatisfy { FileManager.default.isExecutableFile(atPath: bin($0)) }
    }

    /// CI sets `STAMPEDE_REQUIRE_THIRDPARTY=1`: a missing install is then a failure, not a skip.
    static var isRequired: Bool { ProcessInfo.processInfo.environment["STAMPEDE_REQUIRE_THIRDPARTY"] == "1" }

    static let missingMessage =
        "third-party servers not installed in \(root): run scripts/install-test-servers.sh (Kinto, Jupyter Server from PyPI)"

    /// The environment every child gets: the caller's PATH (venv first), HOME and locale, nothing
    /// of Stampede's own settings (no LOAD_*, no STAMPEDE_SECRET_*), plus `extra`.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        let inherited = ProcessInfo.processInfo.environment
        var env: [String: String] = [:]
        for key in ["HOME", "LANG", "LC_ALL", "TMPDIR", "USER"] { env[key] = inherited[key] }
        env["PATH"] = root + "/bin:" + (inherited["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        for (key, value) in extra { env[key] = value }
        return env
    }
}
