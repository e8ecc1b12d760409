import Foundation
import Replayer
import Reports
import Testing

/// Reports the tests read: a real demo run's report (trimmed), saved under Fixtures/.
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static var path: String { directory.appendingPathComponent("demo-report.json").path }

    static func report() throws -> ReplayReport {
        try ReportFile.load(path)
    }

    /// Runs a tool (xmllint, chromium) and returns its exit status and combined output.
    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [tool] + arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Writes text to a fresh temporary file with the given extension and returns its path.
    static func temporary(_ text: String, ext: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stampede-reports-\(UUID().uuidString).\(ext)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
