import ArgumentParser

/// The `stampede` command line: thin wiring of the Recorder, Mutator and Replayer modules.
@main
struct Stampede: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stampede",
        abstract: "Record/replay HTTP traffic fuzzer and load generator.",
        version: "0.1.0",
        subcommands: [
            CorpusCommand.self,
            BenchEngineCommand.self,
        ]
    )
}
