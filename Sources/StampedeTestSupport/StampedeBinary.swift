public import Foundation

/// Where tests find the built `stampede` executable.
public enum StampedeBinary {
    /// The repository root (three levels above this file).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Places searched, in order: next to the test runner and up to three parents (`.build/<config>/`),
    /// then `.build/debug/stampede` in the repository.
    public static var candidates: [URL] {
        var found: [URL] = []
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = runner.deletingLastPathComponent()
        for _ in 0..<4 {
            found.append(directory.appendingPathComponent("stampede"))
            directory = directory.deletingLastPathComponent()
        }
        found.append(repositoryRoot.appendingPathComponent(".build/debug/stampede"))
        return found
    }

    /// The first executable candidate, or nil when `swift build` has not built one.
    public static var url: URL? {
        candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}
