import ArgumentParser
import Foundation
import StampedeClient
import StampedeCore

/// `--secret NAME=VALUE` (repeatable) and `--secrets-file FILE`, shared by replay, demo, check and
/// record; with `STAMPEDE_SECRET_NAME` variables. Precedence: flag > file > environment.
struct SecretFlags: ParsableArguments {
    @Option(
        name: .customLong("secret"),
        help: ArgumentHelp("A value for {{secret.NAME}}: NAME=VALUE (repeatable; wins over the file and STAMPEDE_SECRET_NAME).", valueName: "name=value"))
    var secret: [String] = []

    @Option(
        name: .customLong("secrets-file"),
        help: ArgumentHelp("A dotenv file of secrets: NAME=value or STAMPEDE_SECRET_NAME=value lines (wins over the environment).", valueName: "file"))
    var secretsFile: String?

    /// The secrets from the flags, the file and the environment, or a usage error.
    func load() throws -> Secrets {
        do {
            return try Secrets.load(flags: secret, file: secretsFile, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw CLIError.usage(error.description)
        }
    }
}
