import Foundation

/// Runs a shell script the way a person would: `bash` with arguments, stdout and stderr together.
public enum BashScript {
    /// Runs `bash arguments…` to the end; its exit status and everything it printed. With
    /// `unsetting`, those variables are removed from the inherited environment first.
    public static func run(_ arguments: [String], unsetting: [String] = []) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = arguments
        if !unsetting.isEmpty {
            var environment = ProcessInfo.processInfo.environment
            for name in unsetting { environment[name] = nil }
            process.environment = environment
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
