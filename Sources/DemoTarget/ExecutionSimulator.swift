import Foundation

/// Runs a submitted script "for real" in simulation: a deterministic 50–500 ms delay, then output or a Python-style error.
struct ExecutionSimulator: Sendable {
    /// How a script's run ends.
    struct Outcome: Equatable, Sendable {
        let status: String
        let output: String
        let errors: String?
        let exitCode: Int
        /// Total run time in milliseconds: 50...500, plus any `time.sleep` in the script (capped at 3 s).
        let durationMs: Int
    }

    let store: DemoStore
    let stop: StopSignal

    /// Plays the execution's lifecycle: queued → running → completed/failed, spread over the outcome's duration.
    func run(executionID: String, script: String) async {
        let outcome = Self.outcome(for: script)
        let queuedMs = min(20, outcome.durationMs / 4)
        guard await stop.sleep(for: .milliseconds(queuedMs)) else { return }
        store.transition(executionID: executionID, to: "running", eventType: "execution_started")
        guard await stop.sleep(for: .milliseconds(outcome.durationMs - queuedMs)) else { return }
        store.transition(
            executionID: executionID, to: outcome.status,
            eventType: outcome.status == "completed" ? "execution_completed" : "execution_failed"
        ) { execution in
            execution.output = outcome.output
            execution.errors = outcome.errors
            execution.exitCode = outcome.exitCode
            execution.finishedAt = DemoStore.now()
        }
    }

    /// The deterministic result of "running" `script`.
    static func outcome(for script: String) -> Outcome {
        let duration = 50 + Int(fnv1a(script) % 451) + sleepMilliseconds(script)
        if !parenthesesBalance(script) {
            return Outcome(
                status: "failed", output: "",
                errors: "  File \"<script>\", line \(lineCount(script))\nSyntaxError: '(' was never closed",
                exitCode: 1, durationMs: duration
            )
        }
        let output = printedOutput(script)
        if script.contains("1/0") || script.contains("1 / 0") {
            return Outcome(
                status: "failed", output: output,
                errors: "Traceback (most recent call last):\n  File \"<script>\", line 1, in <module>\nZeroDivisionError: division by zero",
                exitCode: 1, durationMs: duration
            )
        }
        if script.contains("raise") {
            return Outcome(
                status: "failed", output: output,
                errors: "Traceback (most recent call last):\n  File \"<script>\", line 1, in <module>\nException: raised by script",
                exitCode: 1, durationMs: duration
            )
        }
        return Outcome(status: "completed", output: output, errors: nil, exitCode: 0, durationMs: duration)
    }

    /// The string literals passed to `print(...)`, one per line, capped at 4 KiB.
    static func printedOutput(_ script: String) -> String {
        var lines: [String] = []
        for line in script.split(separator: "\n", omittingEmptySubsequences: true) {
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            guard trimmed.hasPrefix("print("), trimmed.hasSuffix(")") else { continue }
            let argument = trimmed.dropFirst("print(".count).dropLast()
            if let quote = argument.first, quote == "\"" || quote == "'", argument.count >= 2, argument.last == quote {
                lines.append(String(argument.dropFirst().dropLast()))
            } else {
                lines.append(String(argument))
            }
        }
        let output = lines.map { $0 + "\n" }.joined()
        return output.utf8.count <= 4096 ? output : String(decoding: output.utf8.prefix(4096), as: UTF8.self)
    }

    /// The sum of literal `time.sleep(SECONDS)` calls, in milliseconds, capped at 3 s, so a test (or a
    /// demo) can hold an execution open long enough to see SSE keepalives.
    static func sleepMilliseconds(_ script: String) -> Int {
        var total = 0.0
        var rest = Substring(script)
        while let start = rest.range(of: "time.sleep(") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: ")") else { break }
            if let seconds = Double(rest[..<end].trimmingCharacters(in: .whitespaces)), seconds.isFinite, seconds > 0 {
                total += seconds
            }
            rest = rest[end...]
        }
        return Int(min(total, 3) * 1000)
    }

    static func parenthesesBalance(_ script: String) -> Bool {
        var depth = 0
        for character in script {
            if character == "(" { depth += 1 }
            if character == ")" {
                depth -= 1
                if depth < 0 { return false }
            }
        }
        return depth == 0
    }

    private static func lineCount(_ script: String) -> Int {
        max(1, script.split(separator: "\n", omittingEmptySubsequences: false).count)
    }

    /// FNV-1a over UTF-8: a stable hash, unlike `Hasher`, which is seeded per process.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
