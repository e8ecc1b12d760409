import ArgumentParser
import Foundation
import StampedeCore

/// The `stampede` command line: thin wiring of the Recorder, Mutator and Replayer modules.
@main
struct Stampede: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stampede",
        abstract: "Record/replay HTTP traffic fuzzer and load generator.",
        version: StampedeVersion.current,
        subcommands: [
            DemoCommand.self,
            ReplayCommand.self,
            RecordCommand.self,
            MutateCommand.self,
            CheckCommand.self,
            CorpusCommand.self,
            ReportCommand.self,
            ServeDemoCommand.self,
            BenchEngineCommand.self,
        ]
    )

    /// Runs the command; usage errors exit 2 with one line, runtime failures exit 1.
    static func main() async {
        let code: Int32
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            code = 0
        } catch let error as CLIError {
            Console.error(error.message)
            code = error.exitCode
        } catch let error as ConfigError {
            Console.error(error.description)
            code = 2
        } catch let error as CorpusError {
            Console.error(error.description)
            code = 1
        } catch {
            let exit = exitCode(for: error)
            if exit == .success {
                // --help / --version
                print(fullMessage(for: error))
                code = 0
            } else if let exitCode = error as? ExitCode {
                code = exitCode.rawValue
            } else if exit == .validationFailure {
                Console.error(message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid usage")
                code = 2
            } else {
                Console.error(message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)")
                code = 1
            }
        }
        Foundation.exit(code)
    }
}

/// An error the CLI reports as one line, with its exit code (2 = usage, 1 = failure).
struct CLIError: Error {
    var message: String
    var exitCode: Int32

    static func usage(_ message: String) -> CLIError { CLIError(message: message, exitCode: 2) }
    static func failure(_ message: String) -> CLIError { CLIError(message: message, exitCode: 1) }
}

/// Where the CLI's output goes: results to stdout, diagnostics to stderr.
enum Console {
    static func error(_ line: String) {
        note("stampede: error: " + line)
    }

    /// One line on stderr, after stdout's buffer (so the two never interleave mid-line).
    static func note(_ line: String) {
        FileHandle.standardError.write(Data((ConsoleLine.oneLine(line) + "\n").utf8))
    }
}
