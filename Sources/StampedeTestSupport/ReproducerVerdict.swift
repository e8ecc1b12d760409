import Foundation
package import StampedeCore

/// A reproducer script's verdict for a conformance finding, run in bash against a saved answer
/// (status, response head and body) as the script's last lines see them.
package enum ReproducerVerdict {
    /// Whether the verdict for `failure` (and its `bodyCheck`) says "reproduced" for this answer;
    /// nil when the failure has no shell verdict.
    package static func holds(
        _ failure: String, bodyCheck: BodyCheck? = nil, status: String, head: String = "", body: String = ""
    ) throws -> Bool? {
        guard let condition = ReproducerScript.conformanceCondition(failure, bodyCheck: bodyCheck) else { return nil }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stampede-verdict-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(head.utf8).write(to: dir.appendingPathComponent("head"))
        try Data(body.utf8).write(to: dir.appendingPathComponent("body"))
        let python = ReproducerScript.python(judgingBodies: true)
        let script = "_tmp=\"$1\"; _status=\"$2\"; _py=\"$3\"; if \(condition); then exit 0; else exit 1; fi"
        let (exit, output) = try BashScript.run(["-c", script, "verdict", dir.path, status, python])
        guard exit <= 1, !output.contains("File \"<string>\"") else { throw VerdictError(output: output) }
        return exit == 0
    }

    /// The verdict's shell failed to run (a syntax or Python error): its output.
    package struct VerdictError: Error, CustomStringConvertible {
        /// What bash printed.
        package var output: String
        /// The output, for the test's failure message.
        package var description: String { "the verdict did not run: \(output)" }
    }
}
