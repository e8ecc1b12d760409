import ArgumentParser

/// `stampede corpus show|stats|validate FILE`.
struct CorpusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Inspect corpus files."
    )
}
