public import Foundation

/// Where tests find the built `stampede` executable.
public enum StampedeBinary {
    /// The repository root (three levels above this file).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Places searched, in order: next to the test runner and up to three parents (the runner sits in
    /// `.build/<config>/`, or inside a bundle there on macOS). Test targets that run the binary depend
    /// on the `stampede` target, so the build that made the runner made this binary too; a binary
    /// elsewhere in `.build` (another configuration, an older build) is never used.
    public static var candidates: [URL] {
        var found: [URL] = []
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = runner.deletingLastPathComponent()
        for _ in 0..<4 {
            found.append(directory.appendingPathComponent("stampede"))
            directory = directory.deletingLastPathComponent()
        }
        return found
    }

    /// The first executable candidate, or nil when the test runner was not built by SwiftPM.
    public static var url: URL? {
        candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}
